package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.config.LoginSettings;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The module's own sign-in session, kept in the HTTP session after the built-in login: who signed in and when, and
 * the tokens a refresh needs. Its life is the configuration's ({@code login.idleTimeout}, {@code login.maxAge}), not
 * the ID token's {@code exp}: the ID token is validated once, at the callback or a refresh, and is renewed with the
 * refresh token only when STS needs a fresh one (roles assumed with web identity).
 *
 * <p>Thread-safe: requests of one browser share it; at most one refresh runs at a time, and the requests that need a
 * fresh token meanwhile wait for that one. Serializable, for containers that persist or replicate sessions; the
 * verified identity is not kept in the serialized form and is validated again from the stored ID token (or refreshed)
 * on the first request after a restore. With {@code login.encryptionKey} the serialized form holds the ID and refresh
 * tokens sealed (AES-GCM, bound to this session's user and sign-in time), and a restore opens them with the node's key
 * ({@link #unseal}); without one, as they are. {@link #toString()} never shows a token.
 */
public final class RelyingPartySession implements Serializable {

    /** The HTTP session attribute holding the session. */
    static final String ATTRIBUTE = RelyingPartySession.class.getName();

    @Serial
    private static final long serialVersionUID = 1L;

    private final String issuer;
    private final String subject;
    private final Instant signedInAt;
    private final ReentrantLock refreshLock = new ReentrantLock();
    // Written by writeObject: sealed when there is a sealer, as they are otherwise.
    private transient volatile Tokens tokens;
    // After a restore of a sealed form, until unseal opens it.
    private transient volatile byte[] sealedTokens;
    private transient volatile LoginKeys.TokenSealer sealer;
    private volatile Instant lastSeen;
    private volatile String endReason;
    private transient volatile VerifiedIdentity identity;
    // Changes with every refresh; what was last handed to the container (setAttribute), so that containers that
    // persist or replicate sessions on setAttribute get the rotated refresh token.
    private volatile int version;
    private transient int published;

    /** The current tokens, replaced as a whole by a refresh. */
    private record Tokens(String idToken, Instant idTokenExpiresAt, String refreshToken) implements Serializable {

        byte[] encode() {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                writeString(out, idToken);
                out.writeLong(idTokenExpiresAt.getEpochSecond());
                out.writeInt(idTokenExpiresAt.getNano());
                out.writeBoolean(refreshToken != null);
                if (refreshToken != null) {
                    writeString(out, refreshToken);
                }
                out.flush();
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Tokens decode(byte[] plain) {
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain));
                String idToken = readString(in);
                Instant expiresAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
                String refreshToken = in.readBoolean() ? readString(in) : null;
                return new Tokens(idToken, expiresAt, refreshToken);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void writeString(DataOutputStream out, String s) throws IOException {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }

        private static String readString(DataInputStream in) throws IOException {
            byte[] utf8 = new byte[in.readInt()];
            in.readFully(utf8);
            return new String(utf8, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Tokens[idTokenExpiresAt=" + idTokenExpiresAt + ", refreshToken=" + (refreshToken == null ? "none" : "<redacted>")
                    + "]";
        }
    }

    /** What a refresh obtained: the new ID token, validated, and the new refresh token when the provider rotated it. */
    record Refreshed(String idToken, VerifiedIdentity identity, String refreshToken) {

        @Override
        public String toString() {
            return "Refreshed[subject=" + identity.subject() + ", rotated=" + (refreshToken != null) + "]";
        }
    }

    /** Obtains a new ID token with a refresh token (OAuth 2.0 §6). */
    public interface TokenRefresher {

        /**
         * @throws SessionEndedException when the provider refuses the refresh token (revoked, expired: {@code invalid_grant})
         * @throws io.github.awsdelegation.token.IssuerUnavailableException when the provider cannot be reached
         */
        Refreshed refresh(String refreshToken);
    }

    RelyingPartySession(VerifiedIdentity identity, String idToken, String refreshToken, Instant now) {
        this(identity, idToken, refreshToken, now, null);
    }

    /** A session whose serialized form seals its tokens with {@code sealer} (none: as they are). */
    RelyingPartySession(VerifiedIdentity identity, String idToken, String refreshToken, Instant now,
            LoginKeys.TokenSealer sealer) {
        this.sealer = sealer;
        this.issuer = identity.issuer();
        this.subject = identity.subject();
        this.signedInAt = now;
        this.tokens = new Tokens(idToken, identity.expiresAt(), refreshToken);
        this.lastSeen = now;
        this.identity = identity;
    }

    String issuer() {
        return issuer;
    }

    String subject() {
        return subject;
    }



    /** The verified identity, or {@code null} after the session was restored from its serialized form. */
    VerifiedIdentity identity() {
        return identity;
    }

    /** The current ID token, which may have expired (SAML and AssumeRole roles do not need it fresh). */
    String idToken() {
        return tokens.idToken();
    }

    /** Sets the identity validated again after a restore. */
    void restored(VerifiedIdentity validated) {
        this.identity = validated;
    }

    /**
     * Tells why the session cannot continue at {@code now}, or returns {@code null} while it can: ended by a refused
     * refresh, idle for longer than {@code login.idleTimeout}, or older than {@code login.maxAge}.
     */
    String endReason(Instant now, LoginSettings settings) {
        String ended = endReason;
        if (ended != null) {
            return ended;
        }
        if (!now.isBefore(signedInAt.plus(settings.maxAge()))) {
            return "the sign-in session reached its maximum age (login.maxAge " + settings.maxAge() + "); sign in again";
        }
        if (!now.isBefore(lastSeen.plus(settings.idleTimeout()))) {
            return "the sign-in session was idle for longer than login.idleTimeout (" + settings.idleTimeout()
                    + "); sign in again";
        }
        return null;
    }

    /** Records a request at {@code now}, which restarts the idle timeout. */
    void touch(Instant now) {
        if (now.isAfter(lastSeen)) {
            lastSeen = now;
        }
    }

    /** When the session ends if no further request comes: the earlier of the idle timeout and the maximum age. */
    Instant endsAt(Instant now, LoginSettings settings) {
        Instant absolute = signedInAt.plus(settings.maxAge());
        Instant idle = (now.isAfter(lastSeen) ? now : lastSeen).plus(settings.idleTimeout());
        return absolute.isBefore(idle) ? absolute : idle;
    }

    /**
     * Tells whether the tokens changed since the last call that answered {@code true} (or since the session was made or
     * restored), so that the caller sets the attribute again for containers that replicate sessions on
     * {@code setAttribute}.
     */
    synchronized boolean changedSincePublished() {
        int now = version;
        if (now == published) {
            return false;
        }
        published = now;
        return true;
    }

    /** Ends the session for good, e.g. when the provider refused the refresh token. */
    void end(String reason) {
        endReason = reason;
    }

    /**
     * Returns an ID token still valid for at least {@code minimumValidity} at {@code now}, refreshing it first when it
     * is not. One refresh at a time: a request arriving while one runs waits for it and uses its token.
     *
     * @throws SessionEndedException when the session has no refresh token or the provider refused it; the session is
     *                               then ended
     */
    String freshIdToken(TokenRefresher refresher, Instant now, Duration minimumValidity) {
        Tokens current = tokens;
        if (current.idTokenExpiresAt().isAfter(now.plus(minimumValidity))) {
            return current.idToken();
        }
        refreshLock.lock();
        try {
            current = tokens;
            if (current.idTokenExpiresAt().isAfter(now.plus(minimumValidity))) {
                return current.idToken(); // another request refreshed it meanwhile
            }
            if (endReason != null) {
                throw new SessionEndedException(endReason);
            }
            if (current.refreshToken() == null) {
                String reason = "the ID token expired and the provider issued no refresh token to renew it (set "
                        + "login.offlineAccess: true if the provider needs offline_access for one); sign in again";
                end(reason);
                throw new SessionEndedException(reason);
            }
            Refreshed refreshed;
            try {
                refreshed = refresher.refresh(current.refreshToken());
            } catch (SessionEndedException e) {
                end(e.getMessage());
                throw e;
            }
            if (!refreshed.identity().issuer().equals(issuer) || !refreshed.identity().subject().equals(subject)) {
                // OIDC Core §12.2: a refreshed ID token must name the same issuer and subject.
                String reason = "the provider's refreshed ID token names another user; sign in again";
                end(reason);
                throw new SessionEndedException(reason);
            }
            tokens = new Tokens(refreshed.idToken(), refreshed.identity().expiresAt(),
                    refreshed.refreshToken() != null ? refreshed.refreshToken() : current.refreshToken());
            identity = refreshed.identity();
            version++;
            return refreshed.idToken();
        } finally {
            refreshLock.unlock();
        }
    }

    /**
     * After a restore, opens the sealed tokens with this node's sealer (and seals with it from now on).
     *
     * @return {@code false} when they cannot be opened: sealed under another {@code login.encryptionKey}, or this node
     *         has none
     */
    boolean unseal(LoginKeys.TokenSealer nodeSealer) {
        if (tokens != null) {
            if (sealer == null) {
                sealer = nodeSealer;
            }
            return true;
        }
        byte[] plain = nodeSealer == null ? null : nodeSealer.open(sealedTokens, associatedData());
        if (plain == null) {
            return false;
        }
        tokens = Tokens.decode(plain);
        sealedTokens = null;
        sealer = nodeSealer;
        return true;
    }

    // What the sealed tokens are bound to: they open for this session only.
    private String associatedData() {
        return "aws-delegation session\n" + issuer + "\n" + subject + "\n" + signedInAt;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        Tokens current = tokens;
        LoginKeys.TokenSealer by = sealer;
        if (current == null) {
            out.writeByte(SEALED);
            out.writeObject(sealedTokens); // restored but not yet opened: as it came
        } else if (by != null) {
            out.writeByte(SEALED);
            out.writeObject(by.seal(current.encode(), associatedData()));
        } else {
            out.writeByte(CLEAR);
            out.writeObject(current);
        }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        byte form = in.readByte();
        if (form == SEALED) {
            sealedTokens = (byte[]) in.readObject();
        } else if (form == CLEAR) {
            tokens = (Tokens) in.readObject();
        } else {
            throw new InvalidObjectException("unknown form of the session's tokens: " + form);
        }
    }

    private static final byte CLEAR = 0;
    private static final byte SEALED = 1;

    @Override
    public String toString() {
        return "RelyingPartySession[subject=" + subject + ", signedInAt=" + signedInAt + ", " + tokens + "]";
    }
}

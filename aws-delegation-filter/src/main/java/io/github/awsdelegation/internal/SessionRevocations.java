package io.github.awsdelegation.internal;

import io.github.awsdelegation.cache.RevocationStore;
import io.github.awsdelegation.cache.StoreUnavailableException;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who was cut off, and since when: a revocation record that every request's session or token is checked against,
 * rather than a list of HTTP sessions to find and invalidate. A session that lives in another node's memory, or that
 * the container persisted, is cut on its next request here just the same, and nothing holds a session object.
 *
 * <ul>
 * <li>A <em>subject</em> revoked at instant <i>t</i> (back-channel logout naming {@code sub}, or
 *     {@link io.github.awsdelegation.DelegationService#evictSubject}): every sign-in of that user before <i>t</i>, and
 *     every ID token issued (its {@code iat}) at or before <i>t</i>, is refused; signing in again afterwards works.</li>
 * <li>A <em>session</em> revoked (back-channel logout naming {@code sid}): every sign-in whose ID token carried that
 *     {@code sid} is refused, whenever it started.</li>
 * </ul>
 * Records are kept for {@code keepFor} (no session or token outlives it: the longer of {@code login.maxAge} and the
 * maximum ID token age). It also remembers which user each {@code sid} signed in, so that a logout naming only the
 * session evicts the user's credentials at once, and which logout tokens ({@code jti}) were used. All of it is kept in
 * the {@link RevocationStore}: this JVM's, or with {@code cache.store: hazelcast|redis} the cluster's, so that a logout
 * token posted to one node ends the session on all and cannot be replayed at another (docs/cluster.md). Thread-safe.
 */
public final class SessionRevocations {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRevocations.class);

    private static final String SESSION_ENDED =
            "the provider ended this sign-in session (back-channel logout); sign in again";
    private static final String USER_CUT_OFF =
            "the user's sessions were ended (signed out at the provider, or cut off by an administrator); sign in again";

    private final RevocationStore store;
    private final Clock clock;
    private final Duration keepFor;
    private final Duration logoutTokenLife;

    /**
     * Creates the registry.
     *
     * @param keepFor         how long a revocation is kept
     * @param logoutTokenLife how long a logout token's {@code jti} is remembered: as long as the token passes the time checks
     */
    public SessionRevocations(RevocationStore store, Duration keepFor, Duration logoutTokenLife, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.keepFor = Objects.requireNonNull(keepFor, "keepFor");
        this.logoutTokenLife = Objects.requireNonNull(logoutTokenLife, "logoutTokenLife");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Revokes every sign-in and ID token of the user from before now.
     *
     * @throws StoreUnavailableException when the cluster's store cannot record it (this node's record holds)
     */
    public void revokeSubject(String issuer, String subject) {
        store.put(key("s", issuer, subject), clock.instant().toString(), keepFor);
    }

    /**
     * Revokes the provider's session {@code sid}; returns the user who signed in with it, when known, else {@code null}.
     *
     * @throws StoreUnavailableException when the cluster's store cannot record it (this node's record holds)
     */
    public String revokeSession(String issuer, String sessionId) {
        store.put(key("x", issuer, sessionId), clock.instant().toString(), keepFor);
        return store.get(key("u", issuer, sessionId));
    }

    /**
     * Remembers which user signed in with the provider's session {@code sid} (a claim of the ID token). Runs on requests:
     * written once per session, and never fails the request (the record only speeds up a logout naming the session).
     */
    public void signedIn(String issuer, String sessionId, String subject) {
        if (sessionId == null) {
            return;
        }
        String key = key("u", issuer, sessionId);
        if (!subject.equals(store.get(key))) {
            try {
                store.put(key, subject, keepFor);
            } catch (StoreUnavailableException e) {
                LOG.debug("Sign-in session not shared with the cluster: {}", e.getMessage());
            }
        }
    }

    /**
     * Records the first use of a logout token's {@code jti} (OIDC Back-Channel Logout 1.0 §2.6 rule 8), on every node.
     *
     * @return whether this is its first use; {@code false} for a replayed token
     * @throws StoreUnavailableException when the cluster's store cannot tell: a replay is never let through unchecked
     */
    public boolean firstUse(String issuer, String jwtId) {
        return store.putIfAbsent(key("j", issuer, jwtId), "1", logoutTokenLife);
    }

    /**
     * Tells why a sign-in or token of the user can no longer be used, or returns {@code null} while it can.
     *
     * @param sessionId the provider's session ({@code sid}) it belongs to, or {@code null}
     * @param since     when the user signed in (the module's own session) or the ID token was issued ({@code iat})
     */
    public String revoked(String issuer, String subject, String sessionId, Instant since) {
        if (sessionId != null && store.get(key("x", issuer, sessionId)) != null) {
            return SESSION_ENDED;
        }
        Instant revokedAt = instant(store.get(key("s", issuer, subject)));
        if (revokedAt != null && before(since, revokedAt)) {
            return USER_CUT_OFF;
        }
        return null;
    }

    // iat has whole seconds: a token of the second of the revocation counts as before it.
    private static boolean before(Instant since, Instant revokedAt) {
        return since != null && (since.isBefore(revokedAt) || since.equals(revokedAt.truncatedTo(ChronoUnit.SECONDS)));
    }

    /** Tells why the verified ID token can no longer be used ({@link #revoked} by its {@code iat} and {@code sid}). */
    public String revoked(VerifiedIdentity identity) {
        return revoked(identity.issuer(), identity.subject(), identity.claimAsString("sid").orElse(null), issuedAt(identity));
    }

    /**
     * Checks a request's user once, where the user is verified, and returns the proof that it passed, for the later
     * stages of the same request ({@link io.github.awsdelegation.DelegationService#delegate(Cleared, java.util.function.Supplier,
     * String, io.github.awsdelegation.EntryPoint)}), which then do not check again. It refuses what {@link #revoked(VerifiedIdentity)}
     * refuses (the ID token by its {@code iat} and {@code sid}) and, for the built-in login's session, what
     * {@link #revoked(String, String, String, Instant)} refuses for the sign-in ({@code sessionId}, {@code signedInAt}):
     * one read of each record both ask about.
     *
     * @param sessionId  the sign-in session's provider session, or {@code null} for a bearer token
     * @param signedInAt when the sign-in session started, or {@code null} for a bearer token
     * @param refusal    makes the exception thrown with the reason when something is revoked
     */
    public <E extends RuntimeException> Cleared clear(VerifiedIdentity identity, String sessionId, Instant signedInAt,
            Function<String, E> refusal) {
        String issuer = identity.issuer();
        String sid = identity.claimAsString("sid").orElse(null);
        if (sid != null && store.get(key("x", issuer, sid)) != null
                || sessionId != null && !sessionId.equals(sid) && store.get(key("x", issuer, sessionId)) != null) {
            throw refusal.apply(SESSION_ENDED);
        }
        Instant revokedAt = instant(store.get(key("s", issuer, identity.subject())));
        if (revokedAt != null && (before(issuedAt(identity), revokedAt) || before(signedInAt, revokedAt))) {
            throw refusal.apply(USER_CUT_OFF);
        }
        return new Cleared(this, identity);
    }

    /**
     * The proof that a request's user passed the revocation check ({@link #clear}), carried with the identity to the
     * later stages of the same request; only this class makes one, and only for a user it did not refuse. It holds no
     * token. It is not meant to be kept beyond the request: a later revocation is seen by the next request's check.
     */
    public static final class Cleared {

        private final SessionRevocations by;
        private final VerifiedIdentity identity;

        private Cleared(SessionRevocations by, VerifiedIdentity identity) {
            this.by = by;
            this.identity = identity;
        }

        /** Returns the user that was checked. */
        public VerifiedIdentity identity() {
            return identity;
        }

        /** Tells whether these revocations made the check (another service's proof counts for nothing here). */
        public boolean checkedBy(SessionRevocations revocations) {
            return by == revocations;
        }

        @Override
        public String toString() {
            return "Cleared[" + identity.subject() + "]";
        }
    }

    /** The ID token's {@code iat}, or {@code null} when the claims do not have it. */
    public static Instant issuedAt(VerifiedIdentity identity) {
        return identity.claims().get("iat") instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : null;
    }

    private static Instant instant(String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // Kind first, then the parts, lengths included: no join of an issuer and a value is taken for another.
    private static String key(String kind, String issuer, String value) {
        return kind + ' ' + issuer.length() + ' ' + issuer + ' ' + value;
    }

    @Override
    public String toString() {
        return "SessionRevocations[" + store + "]";
    }
}

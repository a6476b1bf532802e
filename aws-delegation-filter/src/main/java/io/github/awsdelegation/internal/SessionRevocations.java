package io.github.awsdelegation.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Who was cut off, and since when: a revocation record that every request's session or token is checked against,
 * rather than a list of HTTP sessions to find and invalidate. A session that lives in another node's memory, or that
 * the container persisted, is cut on its next request here just the same, and nothing holds a session object.
 *
 * <ul>
 * <li>A <em>subject</em> revoked at instant <i>t</i> (back-channel logout naming only {@code sub}, or
 *     {@link io.github.awsdelegation.DelegationService#evictSubject}): every sign-in of that user before <i>t</i>, and
 *     every ID token issued (its {@code iat}) at or before <i>t</i>, is refused; signing in again afterwards works.</li>
 * <li>A <em>session</em> revoked (back-channel logout naming {@code sid}): every sign-in whose ID token carried that
 *     {@code sid} is refused, whenever it started.</li>
 * </ul>
 * Records are kept for {@code keepFor} (no session or token outlives it: the longer of {@code login.maxAge} and the
 * maximum ID token age) and at most {@value #MAX_RECORDS} of each kind, so a flood of logouts costs memory once. It
 * also remembers which user each {@code sid} signed in, so that a logout naming only the session evicts the user's
 * credentials at once. Thread-safe. The records are this node's: see docs/operations.md, "Cutting a user off".
 */
public final class SessionRevocations {

    static final int MAX_RECORDS = 100_000;

    private final Clock clock;
    private final Cache<String, Instant> subjects;
    private final Cache<String, Instant> sessions;
    private final Cache<String, String> sessionUsers;

    /** Creates the registry, keeping each record for {@code keepFor}. */
    public SessionRevocations(Duration keepFor, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.subjects = cache(keepFor, clock);
        this.sessions = cache(keepFor, clock);
        this.sessionUsers = cache(keepFor, clock);
    }

    private static <V> Cache<String, V> cache(Duration keepFor, Clock clock) {
        return Caffeine.newBuilder().maximumSize(MAX_RECORDS).expireAfterWrite(keepFor)
                .ticker(() -> Duration.between(Instant.EPOCH, clock.instant()).toNanos()).build();
    }

    /** Revokes every sign-in and ID token of the user from before now. */
    public void revokeSubject(String issuer, String subject) {
        subjects.put(key(issuer, subject), clock.instant());
    }

    /** Revokes the provider's session {@code sid}; returns the user who signed in with it, when known, else {@code null}. */
    public String revokeSession(String issuer, String sessionId) {
        sessions.put(key(issuer, sessionId), clock.instant());
        return sessionUsers.getIfPresent(key(issuer, sessionId));
    }

    /** Remembers which user signed in with the provider's session {@code sid} (a claim of the ID token). */
    public void signedIn(String issuer, String sessionId, String subject) {
        if (sessionId != null) {
            sessionUsers.put(key(issuer, sessionId), subject);
        }
    }

    /**
     * Tells why a sign-in or token of the user can no longer be used, or returns {@code null} while it can.
     *
     * @param sessionId the provider's session ({@code sid}) it belongs to, or {@code null}
     * @param since     when the user signed in (the module's own session) or the ID token was issued ({@code iat})
     */
    public String revoked(String issuer, String subject, String sessionId, Instant since) {
        if (sessionId != null && sessions.getIfPresent(key(issuer, sessionId)) != null) {
            return "the provider ended this sign-in session (back-channel logout); sign in again";
        }
        Instant revokedAt = subjects.getIfPresent(key(issuer, subject));
        // iat has whole seconds: a token of the second of the revocation counts as before it.
        if (revokedAt != null && since != null
                && (since.isBefore(revokedAt) || since.equals(revokedAt.truncatedTo(ChronoUnit.SECONDS)))) {
            return "the user's sessions were ended (signed out at the provider, or cut off by an administrator); sign in again";
        }
        return null;
    }

    /** Tells why the verified ID token can no longer be used ({@link #revoked} by its {@code iat} and {@code sid}). */
    public String revoked(VerifiedIdentity identity) {
        return revoked(identity.issuer(), identity.subject(), identity.claimAsString("sid").orElse(null), issuedAt(identity));
    }

    /** The ID token's {@code iat}, or {@code null} when the claims do not have it. */
    public static Instant issuedAt(VerifiedIdentity identity) {
        return identity.claims().get("iat") instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : null;
    }

    private static String key(String issuer, String value) {
        return issuer + ' ' + value;
    }

    @Override
    public String toString() {
        return "SessionRevocations[subjects=" + subjects.estimatedSize() + ", sessions=" + sessions.estimatedSize() + "]";
    }
}

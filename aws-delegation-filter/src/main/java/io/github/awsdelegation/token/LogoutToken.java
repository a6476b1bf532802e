package io.github.awsdelegation.token;

import java.time.Instant;
import java.util.Objects;

/**
 * A logout token that passed every check of OpenID Connect Back-Channel Logout 1.0 §2.6: the provider says that
 * the user {@link #subject()} signed out, or that the provider's session {@link #sessionId()} ended. At least one of
 * the two is present. It holds claims, never the token, so it is safe to log.
 *
 * @param issuer    the {@code iss} claim, exactly as configured
 * @param subject   the {@code sub} claim, or {@code null} when the token names only a session
 * @param sessionId the {@code sid} claim (OIDC Front-/Back-Channel Logout §2.1), or {@code null} when the token names
 *                  only a user
 * @param issuedAt  the token's {@code iat}
 * @param jwtId     the token's {@code jti}, which {@link io.github.awsdelegation.DelegationService#logout} accepts once
 *                  (OIDC Back-Channel Logout 1.0 §2.6 rule 8); {@code null} for a token made without one
 */
public record LogoutToken(String issuer, String subject, String sessionId, Instant issuedAt, String jwtId) {

    /** Creates a logout token without a {@code jti}: no replay check applies to it. */
    public LogoutToken(String issuer, String subject, String sessionId, Instant issuedAt) {
        this(issuer, subject, sessionId, issuedAt, null);
    }

    public LogoutToken {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (subject == null && sessionId == null) {
            throw new IllegalArgumentException("a logout token names a subject, a session or both");
        }
    }
}

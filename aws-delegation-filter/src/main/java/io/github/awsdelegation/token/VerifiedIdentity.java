package io.github.awsdelegation.token;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A user whose ID token passed every check: the output of {@link IdTokenValidator} and the input of
 * the role rules.
 *
 * <p>It holds claims, never the token itself, so it is safe to log and to keep in a cache.
 *
 * @param issuer         the {@code iss} claim, exactly as configured
 * @param subject        the {@code sub} claim, e.g. {@code auth0|5f7c8ec7c33c6c004bbafe82}
 * @param connectionType the kind of connection the user signed in through
 * @param connectionName the connection's name (e.g. {@code google-oauth2}, {@code Username-Password-Authentication}),
 *                       or the empty string when the token does not say
 * @param groups         the user's groups from the configured groups claim; empty when there are none
 * @param email          the {@code email} claim when the token says it is verified ({@code email_verified: true}),
 *                       or {@code null}; an unverified address stays in {@link #claims()} only
 * @param expiresAt      the token's {@code exp}
 * @param claims         all claims of the token, as parsed JSON values
 */
public record VerifiedIdentity(
        String issuer,
        String subject,
        ConnectionType connectionType,
        String connectionName,
        List<String> groups,
        String email,
        Instant expiresAt,
        Map<String, Object> claims) {

    public VerifiedIdentity {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(connectionType, "connectionType");
        connectionName = connectionName == null ? "" : connectionName;
        groups = List.copyOf(groups == null ? List.of() : groups);
        Objects.requireNonNull(expiresAt, "expiresAt");
        claims = claims == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claims));
    }

    /** Returns the email address, when the token carries one. */
    public Optional<String> emailAddress() {
        return Optional.ofNullable(email);
    }

    /** Returns the domain part of the email address, lower case, when there is one. */
    public Optional<String> emailDomain() {
        if (email == null) {
            return Optional.empty();
        }
        int at = email.lastIndexOf('@');
        return at < 0 ? Optional.empty() : Optional.of(email.substring(at + 1).toLowerCase(java.util.Locale.ROOT));
    }

    /** Returns a claim as a string: strings as they are, other JSON values by {@code String.valueOf}. */
    public Optional<String> claimAsString(String name) {
        Object value = claims.get(name);
        return value == null ? Optional.empty() : Optional.of(String.valueOf(value));
    }
}

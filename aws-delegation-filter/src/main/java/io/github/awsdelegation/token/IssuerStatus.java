package io.github.awsdelegation.token;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * What an {@link IdTokenValidator} knows of its issuer's OpenID Connect Discovery document and JWKS, for a readiness
 * view: when each was last fetched and the last failure. Names no key and no token.
 *
 * @param issuer          the configured issuer
 * @param discoveredAt    when the discovery document was fetched, or {@code null} if not yet (or never: a validator
 *                        with configured keys fetches it only for the built-in login)
 * @param jwksFetchedAt   when the JWKS was last fetched, or {@code null} if not yet
 * @param keysConfigured  whether the keys come from a configured source rather than the issuer's {@code jwks_uri}
 * @param lastFailureAt   when discovery last failed, or {@code null}; cleared by a later success
 * @param lastFailure     why it failed (the exception's message), or {@code null}
 */
public record IssuerStatus(URI issuer, Instant discoveredAt, Instant jwksFetchedAt, boolean keysConfigured,
        Instant lastFailureAt, String lastFailure) {

    /** Returns the last failure, when discovery failed and has not succeeded since. */
    public Optional<String> failure() {
        return Optional.ofNullable(lastFailure);
    }
}

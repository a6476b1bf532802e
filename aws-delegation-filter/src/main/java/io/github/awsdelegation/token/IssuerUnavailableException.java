package io.github.awsdelegation.token;

import io.github.awsdelegation.DelegationException;

/**
 * Thrown when the OpenID Provider's keys cannot be had: its discovery document (OpenID Connect
 * Discovery 1.0 §4) or its JWKS could not be fetched and no keys are cached. The token may well be
 * good, so the servlet layer answers 503, not 401, and the client may retry.
 *
 * <p>Once keys have been fetched, a JWKS outage does not cause this exception: the cached keys keep
 * verifying tokens (see {@link IdTokenValidator}).
 *
 * <p>The message names the issuer, the URL and the failure (for instance {@code HTTP 503}); it never
 * contains a token.
 */
public class IssuerUnavailableException extends DelegationException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be fetched and why
     */
    public IssuerUnavailableException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what could not be fetched and why
     * @param cause   the I/O or parse failure
     */
    public IssuerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

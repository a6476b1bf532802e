package io.github.awsdelegation.token;

import io.github.awsdelegation.TemporarilyUnavailableException;
import java.time.Duration;

/**
 * Thrown when the OpenID Provider's keys cannot be had: its discovery document (OpenID Connect
 * Discovery 1.0 §4) or its JWKS could not be fetched and no keys are cached. The token may well be
 * good, so it is a {@link TemporarilyUnavailableException} (503, not 401), and the client may retry after
 * {@link #retryAfter()}: by default {@link #DEFAULT_RETRY_AFTER}, how long a failed discovery is not tried again.
 *
 * <p>Once keys have been fetched, a JWKS outage does not cause this exception: the cached keys keep
 * verifying tokens (see {@link IdTokenValidator}).
 *
 * <p>The message names the issuer, the URL and the failure (for instance {@code HTTP 503}); it never
 * contains a token.
 */
public class IssuerUnavailableException extends TemporarilyUnavailableException {

    /**
     * How long a client should wait after a failed discovery or JWKS fetch unless the thrower knows better: the
     * validator's default discovery retry interval, 5 seconds. The validator's own failures carry its configured one.
     */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be fetched and why
     */
    public IssuerUnavailableException(String message) {
        super(message, DEFAULT_RETRY_AFTER, null);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what could not be fetched and why
     * @param cause   the I/O or parse failure
     */
    public IssuerUnavailableException(String message, Throwable cause) {
        super(message, DEFAULT_RETRY_AFTER, cause);
    }

    /**
     * Creates the exception with its cause and the wait the thrower knows better, e.g. the built-in login's.
     *
     * @param message    what could not be fetched and why
     * @param retryAfter how long the client should wait before trying again
     * @param cause      the I/O or parse failure, or {@code null}
     */
    public IssuerUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, retryAfter, cause);
    }
}

package io.github.awsdelegation.sts;

import io.github.awsdelegation.DelegationException;
import java.time.Duration;

/**
 * Thrown when STS (or the identity provider it consults) cannot issue credentials right now: it cannot
 * be reached, it times out, it throttles, or it fails on its side. The servlet layer answers 503 with a
 * {@code Retry-After} header of {@link #retryAfter()}.
 */
public class CredentialsUnavailableException extends DelegationException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public CredentialsUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** Returns how long the client should wait before trying again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}

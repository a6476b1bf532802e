package io.github.awsdelegation;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown when something the delegation depends on cannot be used right now, though the request may well be good: the
 * identity provider ({@link io.github.awsdelegation.token.IssuerUnavailableException}) or STS
 * ({@link io.github.awsdelegation.sts.CredentialsUnavailableException}). The servlet layer answers 503 with a
 * {@code Retry-After} header of {@link #retryAfter()} (RFC 9110 §10.2.3), which the thrower chooses from what it
 * knows: STS's throttling back-off, or how long a failed discovery is not tried again.
 */
public abstract class TemporarilyUnavailableException extends DelegationException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    protected TemporarilyUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** Returns how long the client should wait before trying again; at least the answer's 1 second. */
    public Duration retryAfter() {
        return retryAfter;
    }
}

package io.github.awsdelegation.sts;

import io.github.awsdelegation.TemporarilyUnavailableException;
import java.time.Duration;

/**
 * Thrown when STS (or the identity provider it consults) cannot issue credentials right now: it cannot
 * be reached, it times out, it throttles, or it fails on its side. It is a {@link TemporarilyUnavailableException}
 * (503); its {@link #retryAfter()} is {@code sts.retryAfter}.
 */
public class CredentialsUnavailableException extends TemporarilyUnavailableException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message    what failed, without any credential
     * @param retryAfter how long the client should wait before trying again
     * @param cause      the SDK's failure, or {@code null}
     */
    public CredentialsUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, retryAfter, cause);
    }
}

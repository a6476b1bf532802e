package io.github.awsdelegation.cache;

import io.github.awsdelegation.TemporarilyUnavailableException;
import java.time.Duration;

/**
 * Thrown when a record that must hold on every node of a cluster (a revocation, the use of a logout token) cannot be
 * written to the shared store now ({@code cache.store}: {@code hazelcast} or {@code redis}). Answered 503 with
 * {@code Retry-After}, so that the identity provider sends its logout token again.
 */
public class StoreUnavailableException extends TemporarilyUnavailableException {

    private static final long serialVersionUID = 1L;

    /** How long the client is asked to wait: the store is pinged every second, 5 seconds lets it be noticed back. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** Creates the exception; the message says what could not be recorded, and where. */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, RETRY_AFTER, cause);
    }
}

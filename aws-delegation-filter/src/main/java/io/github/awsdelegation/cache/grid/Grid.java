package io.github.awsdelegation.cache.grid;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The operations a {@link GridCredentialStore} needs from a distributed engine, each done through the engine's own
 * client with the engine's own atomic commands. Names and values come already hashed and encrypted: an engine never
 * sees a subject, a role or a credential in clear.
 *
 * <p>Every operation may throw any {@link RuntimeException} when the engine cannot be reached: the store then caches
 * locally, says so once, and checks with {@link #ping()} until the engine answers again.
 */
public interface Grid extends AutoCloseable {

    /** Returns the engine's name for logs and health views, e.g. {@code redis 127.0.0.1:6379}; never a password. */
    String describe();

    /** Returns the value under a name, or {@code null}. */
    byte[] get(String name);

    /** Sets the value under a name, to expire after {@code ttl}. */
    void put(String name, byte[] value, Duration ttl);

    /**
     * Sets the value under a name only if it has none (atomic put-if-absent), to expire after {@code ttl}: the first
     * use of a logout token's {@code jti}.
     *
     * @return whether this call set it
     */
    boolean putIfAbsent(String name, byte[] value, Duration ttl);

    /** Sets the value under a name only if it holds {@code expected} (compare and set); returns whether it did. */
    boolean replace(String name, byte[] expected, byte[] value, Duration ttl);

    /** Removes the value under a name only if it holds {@code expected}. */
    void remove(String name, byte[] expected);

    /** Adds a name to a user's index (which {@link #evictUser} empties), kept at least {@code ttl}. */
    void index(String user, String name, Duration ttl);

    /** Returns whether a name is in a user's index: it is not once the user was evicted since it was added. */
    boolean indexed(String user, String name);

    /** Removes the values of every name in a user's index, and the index. */
    void evictUser(String user);

    /**
     * Takes the lease on a name if nobody holds it (atomic put-if-absent), to expire after {@code ttl} whatever happens
     * to the holder.
     *
     * @return whether this holder has it now
     */
    boolean tryLease(String name, String holder, Duration ttl);

    /** Releases the lease on a name if this holder still has it (atomic compare-and-delete). */
    void releaseLease(String name, String holder);

    /** Sends a message to every node's {@link #subscribe subscriber}, this one's included. */
    void publish(String message);

    /**
     * Starts delivering the messages {@link #publish published} by any node, on a thread of the engine's, for as long
     * as the grid is open (subscribing again by itself after an outage).
     */
    void subscribe(Consumer<String> subscriber);

    /** Checks that the engine answers; throws when it does not. */
    void ping();

    /** Releases the client (or leaves the cluster) and its threads. */
    @Override
    void close();
}

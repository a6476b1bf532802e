package io.github.awsdelegation.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import com.hazelcast.topic.ITopic;
import io.github.awsdelegation.cache.grid.Grid;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@link Grid} operations on a Hazelcast cluster, through a member embedded in this JVM or a client.
 *
 * <p>Three maps: {@code aws-delegation.credentials} (values, each with its credentials' time to live),
 * {@code aws-delegation.leases} ({@code putIfAbsent} with a time to live: the lease expires whatever happens to its
 * holder, and a member's death does not lose it, the map's backup taking over; released by {@code remove(key,
 * holder)}, an atomic compare-and-delete) and {@code aws-delegation.users} (the users' index, one entry per user and
 * name whose value is the user, found at logout by a predicate on the value). Compare-and-set is
 * {@code replace(key, expected, value)}, which Hazelcast compares in serialized form, byte for byte. Messages go over
 * the topic {@code aws-delegation.events}, which Hazelcast delivers to every member and client subscribed.
 */
final class HazelcastGrid implements Grid {

    static final String VALUES = "aws-delegation.credentials";
    static final String LEASES = "aws-delegation.leases";
    static final String USERS = "aws-delegation.users";
    static final String EVENTS = "aws-delegation.events";

    private final HazelcastInstance hazelcast;
    private final boolean owned;
    private final String describe;
    private final String pingKey = "ping:" + UUID.randomUUID();
    private volatile UUID subscription;

    /**
     * @param hazelcast the member or client
     * @param owned     whether closing the grid shuts it down
     * @param describe  what logs call it
     */
    HazelcastGrid(HazelcastInstance hazelcast, boolean owned, String describe) {
        this.hazelcast = hazelcast;
        this.owned = owned;
        this.describe = describe;
    }

    // Proxies are asked for at each use (Hazelcast keeps them): a client cannot make one while it is offline.
    private IMap<String, byte[]> values() {
        return hazelcast.getMap(VALUES);
    }

    private IMap<String, String> leases() {
        return hazelcast.getMap(LEASES);
    }

    private IMap<String, String> users() {
        return hazelcast.getMap(USERS);
    }

    private ITopic<String> events() {
        return hazelcast.getTopic(EVENTS);
    }

    @Override
    public String describe() {
        return describe;
    }

    private static long millis(Duration ttl) {
        return Math.max(1, ttl.toMillis());
    }

    @Override
    public byte[] get(String name) {
        return values().get(name);
    }

    @Override
    public void put(String name, byte[] value, Duration ttl) {
        values().set(name, value, millis(ttl), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean putIfAbsent(String name, byte[] value, Duration ttl) {
        return values().putIfAbsent(name, value, millis(ttl), TimeUnit.MILLISECONDS) == null;
    }

    @Override
    public boolean replace(String name, byte[] expected, byte[] value, Duration ttl) {
        if (!values().replace(name, expected, value)) {
            return false;
        }
        values().setTtl(name, millis(ttl), TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public void remove(String name, byte[] expected) {
        values().remove(name, expected);
    }

    private static String entry(String user, String name) {
        return user + "|" + name;
    }

    @Override
    public void index(String user, String name, Duration ttl) {
        users().set(entry(user, name), user, millis(ttl), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean indexed(String user, String name) {
        return users().containsKey(entry(user, name));
    }

    @Override
    public void evictUser(String user) {
        for (String entry : users().keySet(Predicates.equal("this", user))) {
            values().delete(entry.substring(user.length() + 1));
            users().delete(entry);
        }
    }

    @Override
    public boolean tryLease(String name, String holder, Duration ttl) {
        return leases().putIfAbsent(name, holder, millis(ttl), TimeUnit.MILLISECONDS) == null;
    }

    @Override
    public void releaseLease(String name, String holder) {
        leases().remove(name, holder);
    }

    @Override
    public void publish(String message) {
        events().publish(message);
    }

    @Override
    public void subscribe(Consumer<String> subscriber) {
        if (subscription != null) {
            throw new IllegalStateException("already subscribed");
        }
        // A client's listener is registered again by the client itself after it reconnects.
        subscription = events().addMessageListener(message -> subscriber.accept(message.getMessageObject()));
    }

    @Override
    public void ping() {
        if (!hazelcast.getLifecycleService().isRunning()) {
            throw new IllegalStateException(describe + " is shut down");
        }
        leases().containsKey(pingKey); // one partition's owner answers, or the client is offline
    }

    @Override
    public void close() {
        UUID registered = subscription;
        if (owned) {
            hazelcast.shutdown();
        } else if (registered != null && hazelcast.getLifecycleService().isRunning()) {
            events().removeMessageListener(registered);
        }
    }

    @Override
    public String toString() {
        return "HazelcastGrid[" + describe + "]";
    }
}

package io.github.awsdelegation.cache.grid;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.awsdelegation.cache.RevocationStore;
import io.github.awsdelegation.cache.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@link RevocationStore} of a {@link GridCredentialStore}, in the same grid: records named by keyed hashes
 * ({@code r:<key id>:<HMAC>}) and encrypted like credentials, expiring in the grid after their time.
 *
 * <p>Reads run on every request, so a near-cache in this JVM holds what the grid answered, the absence of a record
 * included; each write is announced on the grid's messages, and each node drops the record concerned from its
 * near-cache as the message arrives. Most reads find no record (a user who was not logged out): the absences are a plain
 * set of keys, forgotten all at once every hour, so such a read costs what the local store's read of a missing record
 * costs (no clock read, no cache bookkeeping: the clustered hot path is the local one). While the grid cannot be
 * reached, the near-cache answers alone (reads fail open: a node does not lock every user out because the grid is down)
 * and writes throw {@link StoreUnavailableException} (fail closed: a logout that is not shared, or a {@code jti} whose
 * first use cannot be checked, is answered 503, and the provider may send it again). A revocation refused so is still
 * kept by this node, and written to the grid when it answers again (a {@code jti} is not: the provider's retry must not
 * be taken for a replay); then the near-cache is dropped with the credentials'.
 */
final class GridRevocationStore implements RevocationStore {

    /** Absences are forgotten every hour (a message, or the rejoin, drops one sooner), should a message have been lost. */
    static final Duration ABSENCE_LIFETIME = Duration.ofHours(1);

    private record Entry(Optional<String> value, Instant expires) {
    }

    private record Pending(String key, String value, Instant expires) {
    }

    private final GridCredentialStore store;
    private final Clock clock;
    private final long maximumSize;
    // What the grid answered, by key: the records found (few: users who were logged out) and the absences (every other
    // user, read first). A key is in one or the other: a read that found no record, racing a put of this node, checks
    // after noting the absence that no record came meanwhile.
    private final Cache<String, Entry> near;
    private final Set<String> absent = ConcurrentHashMap.newKeySet();
    private final Cache<String, String> keysByName;
    // Revocations recorded while the grid could not be reached: written to it when it answers again.
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();

    GridRevocationStore(GridCredentialStore store, Clock clock, long maximumSize) {
        this.store = store;
        this.clock = clock;
        this.maximumSize = maximumSize;
        // Maintenance on the calling thread (as the local store's): no hand-off to the common pool every few reads.
        this.near = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(Expiry.<String, Entry>writing((key, entry) -> remaining(entry.expires())))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build();
        // Kept longer than an absence, so that a message about a key this node holds as absent always finds the key.
        this.keysByName = Caffeine.newBuilder().maximumSize(maximumSize * 2)
                .expireAfterAccess(ABSENCE_LIFETIME.plusMinutes(1)).build();
    }

    private Duration remaining(Instant expires) {
        Duration left = Duration.between(clock.instant(), expires);
        return left.isNegative() ? Duration.ZERO : left;
    }

    @Override
    public String get(String key) {
        if (absent.contains(key)) {
            return null;
        }
        Entry known = near.getIfPresent(key);
        if (known != null || store.health().down()) {
            return known == null ? null : known.value().orElse(null);
        }
        try {
            return read(key);
        } catch (RuntimeException e) {
            store.health().outage(e);
            return null;
        }
    }

    // Under each key id's name, the active one's first; a message about the record during the read keeps it out of
    // the near-cache (the read may be older than the message).
    private String read(String key) {
        long seen = store.messages().received();
        Entry found = null;
        for (String keyId : store.cipher().keyIds()) {
            String name = name(keyId, key);
            byte[] value = store.grid().get(name);
            if (value != null && (found = decode(value, name)) != null) {
                break;
            }
        }
        boolean overlapped = false;
        for (String keyId : store.cipher().keyIds()) {
            overlapped |= store.messages().changedSince(name(keyId, key), seen);
        }
        if (overlapped) {
            return found == null ? null : found.value().orElse(null);
        }
        if (found == null) {
            if (absent.size() >= maximumSize) {
                absent.clear(); // absences only save reads of the grid: dropped all at once, they are read again
            }
            absent.add(key);
            if (near.getIfPresent(key) != null) {
                absent.remove(key); // put by this node meanwhile
            }
            return null;
        }
        near.put(key, found);
        absent.remove(key);
        return found.value().orElse(null);
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        Instant expires = clock.instant().plus(ttl);
        near.put(key, new Entry(Optional.of(value), expires));
        absent.remove(key);
        String name = name(store.cipher().activeKey(), key);
        try {
            unavailableIfDown();
            write(name, value, expires);
        } catch (StoreUnavailableException e) {
            pending.add(new Pending(key, value, expires));
            throw e;
        } catch (RuntimeException e) {
            pending.add(new Pending(key, value, expires));
            store.health().outage(e);
            throw unavailable(e);
        }
    }

    private void write(String name, String value, Instant expires) {
        Duration ttl = remaining(expires);
        if (!ttl.isZero()) {
            store.grid().put(name, encode(value, expires, name), ttl);
            store.grid().publish(store.messages().message(GridMessages.RECORD, name));
        }
    }

    /** Writes the revocations recorded during an outage, once the grid answers again; throws while it does not. */
    void replayPending() {
        for (Pending record; (record = pending.peek()) != null; pending.poll()) {
            write(name(store.cipher().activeKey(), record.key()), record.value(), record.expires());
        }
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        Instant expires = clock.instant().plus(ttl);
        String name = name(store.cipher().activeKey(), key);
        try {
            unavailableIfDown();
            for (String keyId : store.cipher().keyIds()) {
                if (!keyId.equals(store.cipher().activeKey()) && store.grid().get(name(keyId, key)) != null) {
                    return false; // used before the encryption keys were rotated
                }
            }
            return store.grid().putIfAbsent(name, encode(value, expires, name), ttl);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            store.health().outage(e);
            throw unavailable(e);
        }
    }

    /** A node's message that the record under a name changed: this node reads it again from the grid. */
    void onMessage(String name) {
        String key = keysByName.getIfPresent(name);
        if (key != null) {
            near.invalidate(key);
            absent.remove(key);
        }
    }

    /** Forgets the absences read so far (every {@link #ABSENCE_LIFETIME}): the next read of each asks the grid. */
    void forgetAbsences() {
        absent.clear();
    }

    /** Drops the near-cache: messages were missed while the grid could not be reached. */
    void clear() {
        near.invalidateAll();
        absent.clear();
    }

    private String name(String keyId, String key) {
        String name = store.cipher().record(keyId, key);
        keysByName.put(name, key);
        return name;
    }

    private void unavailableIfDown() {
        if (store.health().down()) {
            throw new StoreUnavailableException("the cluster store " + store.grid().describe() + " cannot be reached;"
                    + " the logout could not be shared with the other nodes, try again", null);
        }
    }

    private StoreUnavailableException unavailable(RuntimeException e) {
        return new StoreUnavailableException("the cluster store " + store.grid().describe() + " cannot be reached ("
                + GridHealth.rootCause(e) + "); the logout could not be shared with the other nodes, try again", e);
    }

    private byte[] encode(String value, Instant expires, String name) {
        return store.cipher().seal((expires.getEpochSecond() + "\n" + value).getBytes(StandardCharsets.UTF_8), name);
    }

    private Entry decode(byte[] value, String name) {
        try {
            String plain = new String(store.cipher().open(value, name), StandardCharsets.UTF_8);
            int newline = plain.indexOf('\n');
            return new Entry(Optional.of(plain.substring(newline + 1)),
                    Instant.ofEpochSecond(Long.parseLong(plain.substring(0, newline))));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null; // another cluster's key, or altered: as if absent (the credentials' entries are read the same way)
        }
    }

    @Override
    public String toString() {
        return "GridRevocationStore[" + store.grid().describe() + ", near-cache size=" + near.estimatedSize()
                + ", absences=" + absent.size() + "]";
    }
}

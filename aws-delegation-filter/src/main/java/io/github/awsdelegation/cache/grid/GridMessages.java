package io.github.awsdelegation.cache.grid;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.awsdelegation.cache.internal.LocalCredentialStore;
import io.github.awsdelegation.plan.SessionKey;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The names a {@link GridCredentialStore} gives entries and users in the grid (keyed hashes, {@link CredentialCipher}),
 * and the messages by which the nodes tell each other that an entry changed ({@code p}) or a user was evicted
 * ({@code u}) or a revocation record changed ({@code r}), so that each drops them from its near-cache. A name says nothing by itself: this node remembers which
 * key or user each name it made stands for, and ignores messages about the others (it caches nothing of theirs).
 */
final class GridMessages {

    static final String PUT = "p";
    static final String EVICT = "u";
    static final String RECORD = "r";

    private final CredentialCipher cipher;
    private final String node = UUID.randomUUID().toString();
    private final Cache<String, SessionKey> keysByName;
    private final Cache<String, SessionKey.UserKey> usersByName;
    // Numbers the messages received, and remembers for a while the last one about each entry and user: a read of the
    // grid overlapped by a message about its entry or user does not fill the near-cache (it may be older than it).
    private final AtomicLong invalidations = new AtomicLong();
    private final Cache<String, Long> recentMessages = Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(10)).build();

    GridMessages(CredentialCipher cipher, long maximumSize, Duration lifetime) {
        this.cipher = cipher;
        this.keysByName = Caffeine.newBuilder().maximumSize(maximumSize * 2).expireAfterAccess(lifetime).build();
        this.usersByName = Caffeine.newBuilder().maximumSize(maximumSize * 2).expireAfterAccess(lifetime).build();
    }

    /** This node's id, unique to this store's life: the leases it takes are held in its name. */
    String node() {
        return node;
    }

    /** The name of a key's entry under one of the encryption keys. */
    String name(String keyId, SessionKey key) {
        String name = cipher.name(keyId, key);
        keysByName.put(name, key);
        return name;
    }

    /** The name of a user's index under one of the encryption keys. */
    String user(String keyId, SessionKey.UserKey user) {
        String name = cipher.user(keyId, user);
        usersByName.put(name, user);
        return name;
    }

    /** A logout elsewhere names the user by a key's hash: this node learns the names of the users it caches. */
    void watchUser(SessionKey.UserKey user) {
        for (String keyId : cipher.keyIds()) {
            user(keyId, user);
        }
    }

    /** How many messages arrived so far: a read of the grid notes it before, and asks {@link #overlapped} after. */
    long received() {
        return invalidations.get();
    }

    /** Whether a message about the entry or its user arrived since {@code seen}. */
    boolean overlapped(String name, SessionKey.UserKey user, long seen) {
        if (invalidations.get() == seen) {
            return false;
        }
        if (after(name, seen)) {
            return true;
        }
        for (String keyId : cipher.keyIds()) {
            if (after(user(keyId, user), seen)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a message about the entry under a name arrived since {@code seen}. */
    boolean changedSince(String name, long seen) {
        return invalidations.get() != seen && after(name, seen);
    }

    private boolean after(String name, long seen) {
        Long last = recentMessages.getIfPresent(name);
        return last != null && last > seen;
    }

    /** The message that says so, in this node's name. */
    String message(String kind, String name) {
        return kind + " " + node + " " + name;
    }

    /** Acts on a message of any node, this one's included (ignored: this node already did what it says). */
    void onMessage(String message, LocalCredentialStore near, GridRevocationStore records) {
        String[] parts = message.split(" ", 3);
        if (parts.length != 3 || parts[1].equals(node)) {
            return;
        }
        recentMessages.put(parts[2], invalidations.incrementAndGet());
        if (PUT.equals(parts[0])) {
            SessionKey key = keysByName.getIfPresent(parts[2]);
            if (key != null) {
                near.invalidate(key);
            }
        } else if (RECORD.equals(parts[0])) {
            records.onMessage(parts[2]);
        } else if (EVICT.equals(parts[0])) {
            SessionKey.UserKey user = usersByName.getIfPresent(parts[2]);
            if (user != null) {
                near.evictUser(user.issuer(), user.subject());
            }
        }
    }
}

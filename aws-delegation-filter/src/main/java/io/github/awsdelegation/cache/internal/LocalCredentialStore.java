package io.github.awsdelegation.cache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.awsdelegation.plan.SessionKey;
import io.github.awsdelegation.cache.CredentialStore;
import io.github.awsdelegation.sts.IssuedCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The {@link CredentialStore} in this JVM: a Caffeine cache bounded in size, whose entries go when their credentials
 * expire, and an index of each user's keys for logout.
 */
public final class LocalCredentialStore implements CredentialStore {

    /** Longest an unused user's key index is kept: longer than any STS session (12 hours). */
    static final Duration USER_INDEX_LIFETIME = Duration.ofHours(13);

    private final Clock clock;
    private final Cache<SessionKey, IssuedCredentials> credentials;
    // Logout finds a user's keys here. A key is registered when its lease is taken (before STS is called) and is never
    // taken out one by one, so no load or refresh can slip past a logout; a user's entry goes when the user logs out,
    // or unused for longer than any credentials live.
    private final Cache<SessionKey.UserKey, UserKeys> keysByUser;

    // The keys a user has had stored since the index entry was made; evicted is set once logout took them. An array
    // replaced on each new key, not a concurrent set: a user has a key or two, and the set's table, nodes and view
    // cost some 200 bytes per cached user. Keys are added under the index's compute (one user at a time).
    private static final class UserKeys {
        private static final SessionKey[] NONE = {};
        private volatile SessionKey[] keys = NONE;
        volatile boolean evicted;

        synchronized void add(SessionKey key) {
            SessionKey[] current = keys;
            for (SessionKey k : current) {
                if (k.equals(key)) {
                    return;
                }
            }
            SessionKey[] more = Arrays.copyOf(current, current.length + 1);
            more[current.length] = key;
            keys = more;
        }

        List<SessionKey> keys() {
            return Arrays.asList(keys);
        }
    }

    /**
     * Creates the store.
     *
     * @param clock       the clock that says when credentials expire
     * @param maximumSize the most credentials kept (the least recently used go first)
     */
    public LocalCredentialStore(Clock clock, long maximumSize) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.credentials = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                // An entry lives until its credentials expire (the broker stops serving them a little earlier); a refresh
                // that replaces it sets the time anew.
                .expireAfter(Expiry.writing((SessionKey key, IssuedCredentials issued) ->
                        maxZero(Duration.between(clock.instant(), issued.expiration()))))
                .executor(Runnable::run)
                .build();
        this.keysByUser = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterAccess(USER_INDEX_LIFETIME)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public IssuedCredentials get(SessionKey key) {
        return credentials.getIfPresent(key);
    }

    @Override
    public Lease lease(SessionKey key) {
        UserKeys user = keysByUser.asMap().compute(key.user(), (k, keys) -> {
            UserKeys registered = keys != null ? keys : new UserKeys();
            registered.add(key);
            return registered;
        });
        return new Lease() {
            @Override
            public void put(IssuedCredentials issued) {
                credentials.put(key, issued);
                undoIfEvicted(issued);
            }

            @Override
            public void replace(IssuedCredentials current, IssuedCredentials fresh) {
                if (credentials.asMap().replace(key, current, fresh)) {
                    undoIfEvicted(fresh);
                }
            }

            // A logout sets evicted before it drops the keys: a put it missed is seen here and taken back.
            private void undoIfEvicted(IssuedCredentials issued) {
                if (user.evicted) {
                    credentials.asMap().remove(key, issued);
                }
            }
        };
    }

    @Override
    public void remove(SessionKey key, IssuedCredentials stale) {
        credentials.asMap().remove(key, stale);
    }

    @Override
    public void evictUser(String issuer, String subject) {
        UserKeys keys = keysByUser.asMap().remove(new SessionKey.UserKey(issuer, subject));
        if (keys != null) {
            keys.evicted = true; // before the keys go: a put that misses them sees it
            credentials.invalidateAll(keys.keys());
        }
    }

    /** Drops the credentials under a key, whatever they are (another node changed or removed them). */
    public void invalidate(SessionKey key) {
        credentials.invalidate(key);
    }

    /** Drops everything, voiding open leases; the store stays usable. */
    public void clear() {
        keysByUser.asMap().values().forEach(k -> k.evicted = true);
        keysByUser.invalidateAll();
        credentials.invalidateAll();
    }

    @Override
    public long size() {
        credentials.cleanUp();
        return credentials.estimatedSize();
    }

    @Override
    public void close() {
        clear();
    }

    private static Duration maxZero(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    @Override
    public String toString() {
        return "LocalCredentialStore[size=" + credentials.estimatedSize() + "]";
    }
}

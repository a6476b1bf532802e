package io.github.awsdelegation.cache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.github.awsdelegation.plan.SessionKey;
import io.github.awsdelegation.cache.CredentialStore;
import io.github.awsdelegation.sts.IssuedCredentials;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@link CredentialStore} in this JVM: a Caffeine cache bounded in size, whose entries go when their credentials
 * expire, and an index of each user's keys for logout.
 *
 * <p>Nothing survives a logout: a key is registered in the index when its lease is taken, before STS is called, and
 * stays registered while the lease is open and while credentials are stored under it; {@link #evictUser} voids the
 * user's open leases before it drops their keys, so a put it missed is taken back by the lease itself. A key leaves
 * the index when its credentials are gone (expired, evicted, removed) and no lease is open on its user, or at logout.
 *
 * <p>The index is a map from subject to keys, as lean as the cache allows (issue 17: some 40 bytes per user where a
 * user key, a set and a cache entry of their own cost some 150): a user with one key and no open lease is indexed by
 * that very key, several keys by an array of them, and a user with an open lease by a holder that counts the leases
 * and is voided at logout. Keys of two issuers with the same subject share the subject's entry; logout drops only the
 * issuer's (and voids open leases of both: the other one's answer is not kept, the next request calls STS again).
 */
public final class LocalCredentialStore implements CredentialStore {

    /**
     * After how long an open lease counts as abandoned (never closed) once the credentials of its user go: far longer
     * than any STS call. Its user's holder then leaves the index, voiding the lease; nothing is kept from it.
     */
    static final Duration ABANDONED_LEASE = Duration.ofMinutes(15);

    private final Clock clock;
    private final Cache<SessionKey, IssuedCredentials> credentials;
    // Subject -> that subject's keys: a SessionKey, a SessionKey[], or Leased while leases are open. Changed only in a
    // compute on the subject (one change per subject at a time), never holding a Leased that logout voided.
    private final ConcurrentHashMap<String, Object> keysBySubject = new ConcurrentHashMap<>();

    // A subject's keys while leases are open on it: the leases count, and logout voids them through evicted.
    private static final class Leased {
        SessionKey[] keys;
        int open;
        long lastLeaseMillis;
        volatile boolean evicted;

        Leased(SessionKey[] keys) {
            this.keys = keys;
        }

        void add(SessionKey key) {
            for (SessionKey k : keys) {
                if (k.equals(key)) {
                    return;
                }
            }
            SessionKey[] more = Arrays.copyOf(keys, keys.length + 1);
            more[keys.length] = key;
            keys = more;
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
                .removalListener((SessionKey key, IssuedCredentials issued, RemovalCause cause) -> {
                    if (cause != RemovalCause.REPLACED && key != null) {
                        gone(key);
                    }
                })
                .executor(Runnable::run)
                .build();
    }

    @Override
    public IssuedCredentials get(SessionKey key) {
        return credentials.getIfPresent(key);
    }

    @Override
    public Lease lease(SessionKey key) {
        Leased user = (Leased) keysBySubject.compute(key.subject(), (subject, keys) -> {
            Leased leased = keys instanceof Leased l ? l : new Leased(keysOf(keys));
            leased.add(key);
            leased.open++;
            leased.lastLeaseMillis = clock.millis();
            return leased;
        });
        return new Lease() {
            private boolean closed;

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

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    keysBySubject.computeIfPresent(key.subject(), (subject, keys) -> {
                        if (keys != user || --user.open > 0) {
                            return keys;
                        }
                        return present(user.keys);
                    });
                }
            }
        };
    }

    // Credentials went (not replaced): their key leaves the index unless a lease on its user is open.
    private void gone(SessionKey key) {
        keysBySubject.computeIfPresent(key.subject(), (subject, keys) -> {
            if (keys instanceof Leased leased && leased.open > 0) {
                if (clock.millis() - leased.lastLeaseMillis < ABANDONED_LEASE.toMillis()) {
                    return leased;
                }
                leased.evicted = true; // abandoned: whatever it might still put is taken back
            }
            return present(keysOf(keys));
        });
    }

    // The index value of the keys that still have credentials: null for none, the key for one, else an array.
    private Object present(SessionKey[] keys) {
        SessionKey[] kept = new SessionKey[keys.length];
        int n = 0;
        for (SessionKey k : keys) {
            if (credentials.policy().getIfPresentQuietly(k) != null) {
                kept[n++] = k;
            }
        }
        return n == 0 ? null : n == 1 ? kept[0] : Arrays.copyOf(kept, n);
    }

    private static SessionKey[] keysOf(Object keys) {
        if (keys == null) {
            return new SessionKey[0];
        }
        if (keys instanceof SessionKey key) {
            return new SessionKey[] {key};
        }
        return keys instanceof Leased leased ? leased.keys : (SessionKey[]) keys;
    }

    @Override
    public void remove(SessionKey key, IssuedCredentials stale) {
        credentials.asMap().remove(key, stale);
    }

    @Override
    public void evictUser(String issuer, String subject) {
        List<SessionKey> evicted = new ArrayList<>();
        keysBySubject.computeIfPresent(subject, (s, keys) -> {
            List<SessionKey> others = new ArrayList<>();
            for (SessionKey k : keysOf(keys)) {
                (k.issuer().equals(issuer) ? evicted : others).add(k);
            }
            if (keys instanceof Leased leased) {
                leased.evicted = true; // before the keys go: a put that misses them sees it
            } else if (evicted.isEmpty()) {
                return keys;
            }
            return present(others.toArray(new SessionKey[0]));
        });
        credentials.invalidateAll(evicted);
    }

    /** Drops the credentials under a key, whatever they are (another node changed or removed them). */
    public void invalidate(SessionKey key) {
        credentials.invalidate(key);
    }

    /** Drops everything, voiding open leases; the store stays usable. */
    public void clear() {
        for (String subject : keysBySubject.keySet()) {
            keysBySubject.computeIfPresent(subject, (s, keys) -> {
                if (keys instanceof Leased leased) {
                    leased.evicted = true;
                }
                return null;
            });
        }
        credentials.invalidateAll();
    }

    @Override
    public long size() {
        credentials.cleanUp();
        return credentials.estimatedSize();
    }

    // How many subjects the logout index holds (its memory goes with their credentials).
    long indexedSubjects() {
        credentials.cleanUp();
        return keysBySubject.size();
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

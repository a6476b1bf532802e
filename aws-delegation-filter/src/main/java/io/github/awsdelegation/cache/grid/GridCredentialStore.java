package io.github.awsdelegation.cache.grid;

import io.github.awsdelegation.cache.CredentialStore;
import io.github.awsdelegation.cache.RevocationStore;
import io.github.awsdelegation.cache.internal.LocalCredentialStore;
import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.plan.SessionKey;
import io.github.awsdelegation.sts.IssuedCredentials;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CredentialStore} shared by the nodes of a cluster through a {@link Grid}, with a near-cache in this JVM.
 *
 * <ul>
 * <li><b>Near-cache:</b> credentials read or written by this node are kept in this JVM until they expire, so a hit
 *     never touches the network. Every put, replace, removal and logout is announced on the grid's messages, and each
 *     node drops the entries concerned from its near-cache as the message arrives (well within a second).</li>
 * <li><b>Encrypted:</b> values are encrypted with AES-256-GCM before they leave the node and names are keyed hashes
 *     ({@link CredentialCipher}); entries expire in the grid when their credentials do.</li>
 * <li><b>Single flight across the cluster:</b> {@link #lease} takes a lease in the grid (put-if-absent that expires
 *     after the lease time); a node that finds it held waits for the holder's put and reads it, or takes over once the
 *     lease expired (the holder died). A refresh ahead of expiry takes the lease too, and is skipped by the nodes that
 *     do not get it ({@link #tryLease}).</li>
 * <li><b>Logout everywhere:</b> each user's names are indexed in the grid when a lease is taken; {@link #evictUser}
 *     removes them and the index, and a put checks afterwards that its name is still indexed, taking the value back if
 *     the user logged out meanwhile on any node.</li>
 * <li><b>Outages:</b> when the grid fails, the store caches in this JVM (a WARN once per outage, {@link #fallbacks()}
 *     counts them), pings the grid every second, and once it answers again replays the logouts it took meanwhile,
 *     drops its near-cache (other nodes' logouts were missed) and uses the grid again.</li>
 * </ul>
 */
public final class GridCredentialStore implements CredentialStore {

    /** By default, a lease on one STS call lasts 10 seconds (twice the default STS call timeout). */
    public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(10);

    /** By default, the grid is pinged every second. */
    public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(GridCredentialStore.class);
    private static final Duration INDEX_LIFETIME = Duration.ofHours(13); // longer than any STS session (12 hours)
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Grid grid;
    private final CredentialCipher cipher;
    private final Clock clock;
    private final Duration leaseTime;
    private final LocalCredentialStore local;
    private final AtomicLong leases = new AtomicLong();
    private final GridMessages messages;
    private final GridHealth health;
    private final GridRevocationStore revocations;

    private GridCredentialStore(Builder b) {
        this.grid = b.grid;
        this.cipher = new CredentialCipher(b.encryption);
        this.clock = b.clock;
        this.leaseTime = b.leaseTime;
        this.local = new LocalCredentialStore(clock, b.maximumSize);
        this.messages = new GridMessages(cipher, b.maximumSize, INDEX_LIFETIME);
        this.revocations = new GridRevocationStore(this, clock, b.maximumSize);
        this.health = new GridHealth(grid, message -> messages.onMessage(message, local, revocations), this::evictInGrid,
                revocations::replayPending, () -> {
                    local.clear();
                    revocations.clear();
                });
        health.start(b.healthInterval, "Credential store: " + grid.describe()
                + " (near-cache in this JVM, values encrypted with key '" + cipher.activeKey() + "')");
        health.every(GridRevocationStore.ABSENCE_LIFETIME, revocations::forgetAbsences);
    }

    /**
     * Returns a builder of the store over a grid.
     *
     * @param grid the engine's operations; the store closes it
     */
    public static Builder builder(Grid grid) {
        return new Builder(grid);
    }

    @Override
    public IssuedCredentials get(SessionKey key) {
        IssuedCredentials near = local.get(key);
        if (near != null || health.down()) {
            return near;
        }
        try {
            return read(key);
        } catch (RuntimeException e) {
            health.outage(e);
            return null;
        }
    }

    // Reads the grid under each key's name, the active key's first (entries written before a rotation are found too).
    private IssuedCredentials read(SessionKey key) {
        long seen = messages.received();
        for (String keyId : cipher.keyIds()) {
            String name = messages.name(keyId, key);
            byte[] value = grid.get(name);
            if (value == null) {
                continue;
            }
            IssuedCredentials credentials = decrypt(value, name);
            if (credentials == null) {
                continue;
            }
            messages.watchUser(key.user());
            try (Lease near = local.lease(key)) {
                near.put(credentials);
            }
            if (messages.overlapped(name, key.user(), seen)) {
                local.remove(key, credentials); // a message about it came meanwhile: this read may be older than it
            }
            return credentials;
        }
        return null;
    }

    IssuedCredentials decrypt(byte[] value, String name) {
        try {
            return cipher.decrypt(value, name);
        } catch (GeneralSecurityException e) {
            LOG.warn("Credential store: an entry of {} cannot be decrypted ({}); it is ignored. Is cache.encryption the"
                    + " same on every node?", grid.describe(), e.getMessage());
            return null;
        }
    }

    @Override
    public Lease lease(SessionKey key) {
        return lease(key, true);
    }

    @Override
    public Lease tryLease(SessionKey key) {
        return lease(key, false);
    }

    private Lease lease(SessionKey key, boolean wait) {
        if (health.down()) {
            return local.lease(key);
        }
        String name = messages.name(cipher.activeKey(), key);
        String user = messages.user(cipher.activeKey(), key.user());
        String holder = messages.node() + ":" + leases.incrementAndGet();
        Lease near = local.lease(key);
        messages.watchUser(key.user());
        try {
            grid.index(user, name, INDEX_LIFETIME);
            long deadline = System.nanoTime() + leaseTime.toNanos() + TimeUnit.SECONDS.toNanos(1);
            while (true) {
                if (grid.tryLease(name, holder, leaseTime)) {
                    if (!wait) {
                        // A refresh: another node may have refreshed these credentials and let go of the lease just now,
                        // its message to this near-cache still on its way. The grid's entry is what the refresh is judged
                        // against (the cache reads it next), so the near-cache takes it again from the grid.
                        local.invalidate(key);
                        read(key);
                    }
                    return new GridLease(this, key, name, user, holder, near);
                }
                if (!wait) {
                    near.close(); // another node is loading or refreshing them: no lease here, open or counted
                    return null;
                }
                if (read(key) != null) {
                    return new GridLease(this, key, name, user, null, near); // the holder's put: the cache reads it again
                }
                if (System.nanoTime() - deadline > 0) {
                    // The lease outlived its time (clocks of the grid and this node apart): call STS without it.
                    LOG.debug("Credential store: no lease on an entry after {}; going ahead without it", leaseTime);
                    return new GridLease(this, key, name, user, null, near);
                }
                LockSupport.parkNanos(POLL_NANOS);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    return new GridLease(this, key, name, user, null, near);
                }
            }
        } catch (RuntimeException e) {
            health.outage(e);
            return near;
        }
    }

    @Override
    public void remove(SessionKey key, IssuedCredentials stale) {
        local.remove(key, stale);
        if (health.down()) {
            return;
        }
        try {
            String name = messages.name(cipher.activeKey(), key);
            byte[] stored = grid.get(name);
            IssuedCredentials found = stored == null ? null : decrypt(stored, name);
            if (found != null && same(found, stale)) {
                grid.remove(name, stored);
                grid.publish(messages.message(GridMessages.PUT, name));
            }
        } catch (RuntimeException e) {
            health.outage(e);
        }
    }

    @Override
    public void evictUser(String issuer, String subject) {
        SessionKey.UserKey user = new SessionKey.UserKey(issuer, subject);
        local.evictUser(issuer, subject);
        if (health.down()) {
            health.pendingEviction(user);
            return;
        }
        try {
            evictInGrid(user);
        } catch (RuntimeException e) {
            health.pendingEviction(user);
            health.outage(e);
        }
    }

    private void evictInGrid(SessionKey.UserKey user) {
        for (String keyId : cipher.keyIds()) {
            String name = messages.user(keyId, user);
            grid.evictUser(name);
            grid.publish(messages.message(GridMessages.EVICT, name));
        }
    }

    Duration ttl(IssuedCredentials credentials) {
        Duration ttl = credentials.remainingAt(clock.instant());
        return ttl.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : ttl;
    }

    // The same credentials, whichever copy (the grid's are decrypted anew at each read).
    static boolean same(IssuedCredentials a, IssuedCredentials b) {
        return a.accessKeyId().equals(b.accessKeyId()) && a.expiration().equals(b.expiration());
    }

    Grid grid() {
        return grid;
    }

    CredentialCipher cipher() {
        return cipher;
    }

    LocalCredentialStore near() {
        return local;
    }

    GridMessages messages() {
        return messages;
    }

    GridHealth health() {
        return health;
    }

    /** Returns the revocations and logout token ids, kept in the same grid: see {@link GridRevocationStore}. */
    @Override
    public RevocationStore revocationStore() {
        return revocations;
    }

    @Override
    public boolean reachable() {
        return !health.down();
    }

    @Override
    public boolean fallbackActive() {
        return health.down();
    }

    @Override
    public long fallbacks() {
        return health.fallbacks();
    }

    /** Returns how many credentials this node's near-cache holds; the grid is not asked (this may run on a hot path). */
    @Override
    public long size() {
        return local.size();
    }

    @Override
    public void close() {
        health.close();
        try {
            local.close();
        } finally {
            grid.close();
        }
    }

    @Override
    public String toString() {
        return "GridCredentialStore[" + grid.describe() + ", near-cache size=" + local.size()
                + (health.down() ? ", down" : "") + "]";
    }

    /** Builds a {@link GridCredentialStore}. */
    public static final class Builder {

        private final Grid grid;
        private CacheSettings.Encryption encryption;
        private Clock clock = Clock.systemUTC();
        private long maximumSize = CacheSettings.DEFAULT_MAXIMUM_SIZE;
        private Duration leaseTime = DEFAULT_LEASE_TIME;
        private Duration healthInterval = DEFAULT_HEALTH_INTERVAL;

        private Builder(Grid grid) {
            this.grid = Objects.requireNonNull(grid, "grid");
        }

        /** Sets the encryption keys. Required. */
        public Builder encryption(CacheSettings.Encryption encryption) {
            this.encryption = Objects.requireNonNull(encryption, "encryption");
            return this;
        }

        /** Sets the clock credentials expire by. By default, the system clock in UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sets the most credentials the near-cache keeps. By default, 100,000. */
        public Builder maximumSize(long maximumSize) {
            this.maximumSize = maximumSize;
            return this;
        }

        /**
         * Sets how long a lease on one STS call lasts: a little longer than the STS call timeout. When its holder dies,
         * another node takes over after this long. By default, 10 seconds.
         */
        public Builder leaseTime(Duration leaseTime) {
            this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
            return this;
        }

        /** Sets how often the grid is pinged (and, while down, how soon a return is noticed). By default, 1 second. */
        public Builder healthInterval(Duration healthInterval) {
            this.healthInterval = Objects.requireNonNull(healthInterval, "healthInterval");
            return this;
        }

        /** Builds the store, subscribed to the grid's messages; a grid down now is an outage, not an error. */
        public GridCredentialStore build() {
            if (encryption == null) {
                throw new IllegalArgumentException("encryption: a store in a grid encrypts credentials; set the keys");
            }
            if (maximumSize < 1) {
                throw new IllegalArgumentException("maximumSize must be at least 1, was " + maximumSize);
            }
            if (leaseTime.isNegative() || leaseTime.isZero() || healthInterval.isNegative() || healthInterval.isZero()) {
                throw new IllegalArgumentException("leaseTime and healthInterval must be positive");
            }
            return new GridCredentialStore(this);
        }
    }
}

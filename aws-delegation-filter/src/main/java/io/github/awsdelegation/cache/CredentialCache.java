package io.github.awsdelegation.cache;

import io.github.awsdelegation.plan.SessionKey;
import io.github.awsdelegation.cache.internal.LocalCredentialStore;
import io.github.awsdelegation.sts.CredentialsUnavailableException;
import io.github.awsdelegation.sts.IssuedCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-user cache of STS credentials, the policy of the {@link CredentialBroker} over a {@link CredentialStore}.
 *
 * <ul>
 * <li><b>Single flight:</b> however many requests of one user arrive at once, one of them calls STS and
 *     the others wait for its answer.</li>
 * <li><b>Refresh ahead:</b> once credentials reach their refresh point, the next request triggers one background
 *     refresh and is served the current credentials, so no request waits on STS after a user's first. Each set of
 *     credentials has its own point, between {@link Builder#refreshAhead refreshAhead} (the earliest) and
 *     {@link #RETRY_MARGIN} above {@link Builder#minimumValidity minimumValidity} (the latest) before expiry, drawn
 *     from the key and the expiration, later points more likely: users who signed in together do not all call STS at
 *     once, credentials are used longer, and the margin lets the next requests try a failed refresh again before any
 *     request has to wait.</li>
 * <li><b>Never stale:</b> credentials within {@link Builder#minimumValidity minimumValidity} of expiring are
 *     not served; the request obtains new ones.</li>
 * <li><b>Bounded:</b> at most {@link Builder#maximumSize maximumSize} entries in the default store (Caffeine's
 *     size-based eviction), and {@link #invalidateUser} drops all of a user's credentials at logout or when the HTTP
 *     session ends.</li>
 * <li><b>Nothing survives a logout:</b> a load or a background refresh still waiting for STS when the user's
 *     credentials are invalidated hands its answer to the requests waiting for it, but the cache keeps none of it;
 *     the next request calls STS again.</li>
 * </ul>
 */
public final class CredentialCache implements AutoCloseable {

    /** By default, credentials are refreshed 5 minutes before they expire. */
    public static final Duration DEFAULT_REFRESH_AHEAD = Duration.ofMinutes(5);

    /** By default, credentials with less than 1 minute left are never served. */
    public static final Duration DEFAULT_MINIMUM_VALIDITY = Duration.ofMinutes(1);

    /**
     * How far above {@code minimumValidity} the latest refresh point stays (or half the gap between
     * {@code minimumValidity} and {@code refreshAhead}, when that is shorter): 1 minute, so that a user who sends a
     * request a minute still sends one between the point and the minimum validity (served while the refresh runs in
     * the background, never waiting), and a refresh that failed is tried again by the next requests (12 whole STS calls
     * at the default {@code sts.callTimeout} of 5 seconds). The AWS SDK's prefetch jitter ends 1 minute before its
     * stale time too.
     */
    public static final Duration RETRY_MARGIN = Duration.ofMinutes(1);

    /** By default, at most 100,000 credentials are cached. */
    public static final long DEFAULT_MAXIMUM_SIZE = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(CredentialCache.class);

    private final Clock clock;
    private final Duration refreshAhead;
    private final Duration minimumValidity;
    // The band of refresh points, as time left before expiry: from latestRefreshNanos up to refreshAhead.
    private final long latestRefreshNanos;
    private final long refreshBandNanos;
    private final Duration loadTimeout;
    private final Executor refreshExecutor;
    private final CredentialStore store;
    // The loads in flight in this JVM, one per key: the requests that find one wait for it.
    private final Map<SessionKey, CompletableFuture<IssuedCredentials>> loading = new ConcurrentHashMap<>();
    private final Set<SessionKey> refreshing = ConcurrentHashMap.newKeySet();

    private CredentialCache(Builder b) {
        this.clock = b.clock;
        this.refreshAhead = b.refreshAhead;
        this.minimumValidity = b.minimumValidity;
        Duration gap = b.refreshAhead.minus(b.minimumValidity);
        Duration margin = gap.dividedBy(2).compareTo(RETRY_MARGIN) < 0 ? gap.dividedBy(2) : RETRY_MARGIN;
        this.latestRefreshNanos = b.minimumValidity.plus(margin).toNanos();
        this.refreshBandNanos = b.refreshAhead.toNanos() - latestRefreshNanos;
        this.loadTimeout = b.loadTimeout;
        this.refreshExecutor = b.refreshExecutor;
        this.store = b.store != null ? b.store : new LocalCredentialStore(b.clock, b.maximumSize);
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the user's cached credentials for the key, or obtains them with the loader.
     *
     * @param key    the user, role and session
     * @param loader calls STS; it runs on the calling thread for a miss, and on the refresh executor for a
     *               refresh ahead of expiry
     * @return credentials with at least the minimum validity left
     * @throws RuntimeException whatever the loader throws, to every request waiting for that load
     */
    public IssuedCredentials get(SessionKey key, Supplier<IssuedCredentials> loader) {
        return get(key, loader, loader);
    }

    /**
     * Returns the user's cached credentials for the key, or obtains them with the loader; a refresh ahead
     * of expiry uses the refresher instead, so that the caller can tell the two apart (to report a refresh).
     *
     * @param key       the user, role and session
     * @param loader    calls STS on the calling thread, for a miss
     * @param refresher calls STS on the refresh executor, for a refresh ahead of expiry
     * @return credentials with at least the minimum validity left
     * @throws RuntimeException whatever the loader throws, to every request waiting for that load
     */
    public IssuedCredentials get(SessionKey key, Supplier<IssuedCredentials> loader, Supplier<IssuedCredentials> refresher) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(refresher, "refresher");
        while (true) {
            // A hit is a plain read: no allocation, no write to the store (the hot path of every request).
            IssuedCredentials stored = store.get(key);
            if (stored != null) {
                Duration remaining = stored.remainingAt(clock.instant());
                if (remaining.compareTo(minimumValidity) <= 0) {
                    store.remove(key, stored);
                    continue;
                }
                // The point is computed only inside the band: the rest of a lifetime costs one comparison.
                if (remaining.compareTo(refreshAhead) <= 0
                        && remaining.compareTo(refreshPoint(key, stored.expiration())) <= 0) {
                    refreshInBackground(key, stored, refresher);
                }
                return stored;
            }
            CompletableFuture<IssuedCredentials> mine = new CompletableFuture<>();
            CompletableFuture<IssuedCredentials> theirs = loading.putIfAbsent(key, mine);
            if (theirs != null) {
                return await(theirs);
            }
            try {
                return load(key, mine, loader);
            } finally {
                loading.remove(key, mine);
            }
        }
    }

    // Other requests may already wait for mine: it is always completed, and stored only if no logout came.
    private IssuedCredentials load(SessionKey key, CompletableFuture<IssuedCredentials> mine, Supplier<IssuedCredentials> loader) {
        try (CredentialStore.Lease lease = store.lease(key)) {
            // Another request (or node) may have stored them since this one looked.
            IssuedCredentials stored = store.get(key);
            if (stored != null && stored.remainingAt(clock.instant()).compareTo(minimumValidity) > 0) {
                mine.complete(stored);
                return stored;
            }
            IssuedCredentials credentials = loader.get();
            lease.put(credentials);
            mine.complete(credentials);
            return credentials;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * Returns the time left before expiration at which credentials are refreshed, the same for the same key and
     * expiration on every node: in the band from {@code refreshAhead} down to {@link #RETRY_MARGIN} above
     * {@code minimumValidity}, with a density falling linearly from twice the uniform one at the latest end to none at
     * the earliest (mean: a third of the band above its latest end). Refreshing later makes no request wait (the
     * refresh runs in the background) and uses credentials longer; a herd that signed in together still spreads.
     */
    Duration refreshPoint(SessionKey key, Instant expiration) {
        double f = fraction(key, expiration);
        double g = 1 - Math.sqrt(1 - f); // the inverse of the distribution function 1 - (1 - g)^2: density 2 (1 - g)
        return Duration.ofNanos(latestRefreshNanos + (long) (refreshBandNanos * g));
    }

    // A fraction in [0, 1) from the key and the expiration, from String.hashCode (specified, so stable across JVMs)
    // mixed by SplitMix64's finalizer; it needs no secrecy, only spread.
    private static double fraction(SessionKey key, Instant expiration) {
        long h = key.issuer().hashCode();
        h = h * 31 + key.subject().hashCode();
        h = h * 31 + key.roleArn().hashCode();
        h = h * 31 + key.sessionHash().hashCode();
        h = h * 0x9E3779B97F4A7C15L + expiration.getEpochSecond();
        h = h * 0x9E3779B97F4A7C15L + expiration.getNano();
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }

    private void refreshInBackground(SessionKey key, IssuedCredentials current, Supplier<IssuedCredentials> refresher) {
        if (!refreshing.add(key)) {
            return;
        }
        try {
            refreshExecutor.execute(() -> {
                try (CredentialStore.Lease lease = store.tryLease(key)) {
                    if (lease == null || refreshedElsewhere(key, current)) {
                        return; // another node of the cluster refreshes them, or did
                    }
                    // Only over the very credentials that asked for it: a logout in the meantime removed them, and a
                    // newer entry is not overwritten.
                    lease.replace(current, refresher.get());
                    LOG.debug("Refreshed credentials ahead of expiry for role {}", key.roleArn());
                } catch (RuntimeException e) {
                    // The current credentials stay in use until they are no longer valid enough.
                    LOG.warn("Refreshing credentials ahead of expiry failed for role {}: {}", key.roleArn(), e.getMessage());
                } finally {
                    refreshing.remove(key);
                }
            });
        } catch (RuntimeException rejected) {
            refreshing.remove(key);
            LOG.warn("Refresh of credentials for role {} could not be scheduled: {}", key.roleArn(), rejected.toString());
        }
    }

    // A shared store may hold newer credentials than the ones that asked for a refresh: another node's.
    private boolean refreshedElsewhere(SessionKey key, IssuedCredentials current) {
        IssuedCredentials stored = store.get(key);
        return stored != null && stored != current && stored.expiration().isAfter(current.expiration());
    }

    private IssuedCredentials await(CompletableFuture<IssuedCredentials> future) {
        try {
            return future.get(loadTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new CredentialsUnavailableException(
                    "another request for the same credentials is taking too long; try again shortly",
                    Duration.ofSeconds(1), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CredentialsUnavailableException("interrupted while waiting for credentials", Duration.ofSeconds(1), e);
        }
    }

    /** Drops all cached credentials of a user, at logout or when the user's HTTP session ends. */
    public void invalidateUser(String issuer, String subject) {
        store.evictUser(issuer, subject);
    }

    /** Returns the number of cached credentials (approximate while loads are in flight). */
    public long size() {
        return store.size();
    }

    /** Returns the store the credentials are kept in (its health and fallback state are read from it). */
    public CredentialStore store() {
        return store;
    }

    /** Drops everything. */
    @Override
    public void close() {
        store.close();
    }

    /** Builds a {@link CredentialCache}. */
    public static final class Builder {

        private Clock clock = Clock.systemUTC();
        private Duration refreshAhead = DEFAULT_REFRESH_AHEAD;
        private Duration minimumValidity = DEFAULT_MINIMUM_VALIDITY;
        private long maximumSize = DEFAULT_MAXIMUM_SIZE;
        private Duration loadTimeout = Duration.ofSeconds(30);
        private Executor refreshExecutor;
        private CredentialStore store;

        private Builder() {
        }

        /** Sets the clock. By default, the system clock in UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets how long before expiry credentials are refreshed in the background at the earliest; each set of
         * credentials is refreshed at its own point between this and {@link #RETRY_MARGIN} above the minimum validity.
         * By default, 5 minutes.
         */
        public Builder refreshAhead(Duration refreshAhead) {
            this.refreshAhead = Objects.requireNonNull(refreshAhead, "refreshAhead");
            return this;
        }

        /** Sets the validity below which credentials are never served. By default, 1 minute. */
        public Builder minimumValidity(Duration minimumValidity) {
            this.minimumValidity = Objects.requireNonNull(minimumValidity, "minimumValidity");
            return this;
        }

        /**
         * Sets where credentials are kept. By default, in this JVM, at most {@link #maximumSize maximumSize} of them.
         */
        public Builder store(CredentialStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Sets the maximum number of cached credentials of the default store. By default, 100,000. */
        public Builder maximumSize(long maximumSize) {
            this.maximumSize = maximumSize;
            return this;
        }

        /**
         * Sets how long a request waits for another request's load of the same credentials; set it a
         * little above the STS call timeout. By default, 30 seconds.
         */
        public Builder loadTimeout(Duration loadTimeout) {
            this.loadTimeout = Objects.requireNonNull(loadTimeout, "loadTimeout");
            return this;
        }

        /** Sets the executor of background refreshes. Required. */
        public Builder refreshExecutor(Executor executor) {
            this.refreshExecutor = Objects.requireNonNull(executor, "refreshExecutor");
            return this;
        }

        /** Builds the cache. */
        public CredentialCache build() {
            if (refreshExecutor == null) {
                throw new IllegalArgumentException("refreshExecutor: set the executor for background refreshes");
            }
            if (maximumSize < 1) {
                throw new IllegalArgumentException("maximumSize must be at least 1, was " + maximumSize);
            }
            if (refreshAhead.compareTo(minimumValidity) < 0) {
                throw new IllegalArgumentException("refreshAhead (" + refreshAhead
                        + ") must not be shorter than minimumValidity (" + minimumValidity + ")");
            }
            return new CredentialCache(this);
        }
    }
}

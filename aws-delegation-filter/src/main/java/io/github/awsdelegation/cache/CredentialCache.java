package io.github.awsdelegation.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.awsdelegation.sts.IssuedCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * Per-user cache of STS credentials, in front of a {@link io.github.awsdelegation.sts.CredentialIssuer}.
 *
 * <ul>
 * <li><b>Single flight:</b> however many requests of one user arrive at once, one of them calls STS and
 *     the others wait for its answer.</li>
 * <li><b>Refresh ahead:</b> once credentials are within {@link Builder#refreshAhead refreshAhead} of
 *     expiring, the next request triggers one background refresh and is served the current
 *     credentials, so no request waits on STS after a user's first.</li>
 * <li><b>Never stale:</b> credentials within {@link Builder#minimumValidity minimumValidity} of expiring are
 *     not served; the request obtains new ones.</li>
 * <li><b>Bounded:</b> at most {@link Builder#maximumSize maximumSize} entries (Caffeine's size-based
 *     eviction), and {@link #invalidateUser} drops all of a user's credentials at logout or when the HTTP
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

    /** By default, at most 100,000 credentials are cached. */
    public static final long DEFAULT_MAXIMUM_SIZE = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(CredentialCache.class);

    private final Clock clock;
    private final Duration refreshAhead;
    private final Duration minimumValidity;
    private final Duration loadTimeout;
    private final Executor refreshExecutor;
    private final Cache<CacheKey, CompletableFuture<IssuedCredentials>> cache;
    // Logout finds a user's keys here. A key is registered before its load starts (before it enters the cache) and is
    // never taken out one by one, so no load or refresh can slip past a logout; a user's entry goes when the user logs
    // out, or unused for longer than any credentials live (STS issues at most 12 hours).
    private final Cache<CacheKey.UserKey, UserKeys> keysByUser;
    private final Set<CacheKey> refreshing = ConcurrentHashMap.newKeySet();

    /** Longest an unused user's key index is kept: longer than any STS session (12 hours). */
    static final Duration USER_INDEX_LIFETIME = Duration.ofHours(13);

    // The keys a user has had cached since the index entry was made; evicted is set once logout took them.
    private static final class UserKeys {
        final Set<CacheKey> keys = ConcurrentHashMap.newKeySet();
        volatile boolean evicted;
    }

    private CredentialCache(Builder b) {
        this.clock = b.clock;
        this.refreshAhead = b.refreshAhead;
        this.minimumValidity = b.minimumValidity;
        this.loadTimeout = b.loadTimeout;
        this.refreshExecutor = b.refreshExecutor;
        this.cache = Caffeine.newBuilder()
                .maximumSize(b.maximumSize)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(new UntilUnusable())
                .executor(Runnable::run)
                .build();
        this.keysByUser = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterAccess(USER_INDEX_LIFETIME)
                .executor(Runnable::run)
                .build();
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the user's cached credentials for the key, or obtains them with the loader.
     *
     * @param key    the user, role and policy
     * @param loader calls STS; it runs on the calling thread for a miss, and on the refresh executor for a
     *               refresh ahead of expiry
     * @return credentials with at least the minimum validity left
     * @throws RuntimeException whatever the loader throws, to every request waiting for that load
     */
    public IssuedCredentials get(CacheKey key, Supplier<IssuedCredentials> loader) {
        return get(key, loader, loader);
    }

    /**
     * Returns the user's cached credentials for the key, or obtains them with the loader; a refresh ahead
     * of expiry uses the refresher instead, so that the caller can tell the two apart (to report a refresh).
     *
     * @param key       the user, role and policy
     * @param loader    calls STS on the calling thread, for a miss
     * @param refresher calls STS on the refresh executor, for a refresh ahead of expiry
     * @return credentials with at least the minimum validity left
     * @throws RuntimeException whatever the loader throws, to every request waiting for that load
     */
    public IssuedCredentials get(CacheKey key, Supplier<IssuedCredentials> loader, Supplier<IssuedCredentials> refresher) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(refresher, "refresher");
        while (true) {
            // A hit is a plain read: no allocation, no write to the map (the hot path of every request).
            CompletableFuture<IssuedCredentials> existing = cache.getIfPresent(key);
            CompletableFuture<IssuedCredentials> mine = null;
            UserKeys registered = null;
            if (existing == null) {
                // Registered before it can be seen: a logout from here on either finds the key or sets evicted.
                registered = register(key);
                mine = new CompletableFuture<>();
                existing = cache.asMap().putIfAbsent(key, mine);
            }
            if (existing == null) {
                // Other requests may already wait for mine: it is always completed, and kept only if no logout came.
                return load(key, mine, registered, loader);
            }
            IssuedCredentials credentials = await(existing);
            Duration remaining = credentials.remainingAt(clock.instant());
            if (remaining.compareTo(minimumValidity) <= 0) {
                cache.asMap().remove(key, existing);
                continue;
            }
            if (remaining.compareTo(refreshAhead) <= 0) {
                refreshInBackground(key, existing, refresher);
            }
            return credentials;
        }
    }

    private UserKeys register(CacheKey key) {
        return keysByUser.asMap().compute(key.user(), (user, keys) -> {
            UserKeys k = keys != null ? keys : new UserKeys();
            k.keys.add(key);
            return k;
        });
    }

    private IssuedCredentials load(CacheKey key, CompletableFuture<IssuedCredentials> future, UserKeys registered,
            Supplier<IssuedCredentials> loader) {
        try {
            IssuedCredentials credentials = loader.get();
            future.complete(credentials);
            if (registered.evicted) {
                // The user logged out while STS answered: this request gets its answer, the cache keeps nothing.
                cache.asMap().remove(key, future);
            } else {
                // Re-put the completed future so that the expiry is computed from the credentials. After a logout
                // it is no longer there, and replace does nothing.
                cache.asMap().replace(key, future, future);
            }
            return credentials;
        } catch (RuntimeException | Error e) {
            cache.asMap().remove(key, future);
            future.completeExceptionally(e);
            throw e;
        }
    }

    private void refreshInBackground(CacheKey key, CompletableFuture<IssuedCredentials> current, Supplier<IssuedCredentials> loader) {
        if (!refreshing.add(key)) {
            return;
        }
        try {
            refreshExecutor.execute(() -> {
                try {
                    UserKeys registered = register(key); // keeps the index entry as long as the fresh credentials
                    IssuedCredentials fresh = loader.get();
                    // Only over the very entry that asked for it: a logout in the meantime removed it (and set
                    // evicted), and a newer entry is not overwritten.
                    if (!registered.evicted) {
                        cache.asMap().replace(key, current, CompletableFuture.completedFuture(fresh));
                    }
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
            throw new io.github.awsdelegation.sts.CredentialsUnavailableException(
                    "another request for the same credentials is taking too long; try again shortly",
                    Duration.ofSeconds(1), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.github.awsdelegation.sts.CredentialsUnavailableException("interrupted while waiting for credentials",
                    Duration.ofSeconds(1), e);
        }
    }

    /** Drops all cached credentials of a user, at logout or when the user's HTTP session ends. */
    public void invalidateUser(String issuer, String subject) {
        UserKeys keys = keysByUser.asMap().remove(new CacheKey.UserKey(issuer, subject));
        if (keys != null) {
            keys.evicted = true; // before the invalidation: a load that misses it finds its entry gone
            cache.invalidateAll(keys.keys);
        }
    }

    /** Returns the number of cached credentials (approximate while loads are in flight). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** Drops everything. */
    @Override
    public void close() {
        keysByUser.asMap().values().forEach(k -> k.evicted = true);
        keysByUser.invalidateAll();
        cache.invalidateAll();
    }

    // A completed entry lives until its credentials drop below the minimum validity; a load in
    // flight has no expiry of its own (the loader's timeouts bound it).
    private final class UntilUnusable implements Expiry<CacheKey, CompletableFuture<IssuedCredentials>> {

        @Override
        public long expireAfterCreate(CacheKey key, CompletableFuture<IssuedCredentials> value, long currentTime) {
            if (!value.isDone() || value.isCompletedExceptionally()) {
                return Long.MAX_VALUE;
            }
            Instant usableUntil = value.join().expiration().minus(minimumValidity);
            long nanos = Duration.between(clock.instant(), usableUntil).toNanos();
            return Math.max(0, nanos);
        }

        @Override
        public long expireAfterUpdate(CacheKey key, CompletableFuture<IssuedCredentials> value, long currentTime,
                long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(CacheKey key, CompletableFuture<IssuedCredentials> value, long currentTime,
                long currentDuration) {
            return currentDuration;
        }
    }

    /** Builds a {@link CredentialCache}. */
    public static final class Builder {

        private Clock clock = Clock.systemUTC();
        private Duration refreshAhead = DEFAULT_REFRESH_AHEAD;
        private Duration minimumValidity = DEFAULT_MINIMUM_VALIDITY;
        private long maximumSize = DEFAULT_MAXIMUM_SIZE;
        private Duration loadTimeout = Duration.ofSeconds(30);
        private Executor refreshExecutor;

        private Builder() {
        }

        /** Sets the clock. By default, the system clock in UTC. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sets how long before expiry credentials are refreshed in the background. By default, 5 minutes. */
        public Builder refreshAhead(Duration refreshAhead) {
            this.refreshAhead = Objects.requireNonNull(refreshAhead, "refreshAhead");
            return this;
        }

        /** Sets the validity below which credentials are never served. By default, 1 minute. */
        public Builder minimumValidity(Duration minimumValidity) {
            this.minimumValidity = Objects.requireNonNull(minimumValidity, "minimumValidity");
            return this;
        }

        /** Sets the maximum number of cached credentials. By default, 100,000. */
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

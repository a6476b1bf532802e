package io.github.awsdelegation.config;

import io.github.awsdelegation.cache.CredentialCache;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code cache} section: how issued credentials are kept. The defaults are {@link CredentialCache}'s.
 *
 * @param refreshAhead how long before expiry cached credentials are refreshed; longer than
 *                     {@link CredentialCache#DEFAULT_MINIMUM_VALIDITY} (1 minute) and shorter than
 *                     {@code sts.sessionDuration}; by default, 5 minutes
 * @param maximumSize  the maximum number of cached credentials, at least 1; by default, 100,000
 */
public record CacheSettings(Duration refreshAhead, long maximumSize) {

    /** By default, credentials are refreshed 5 minutes before they expire. */
    public static final Duration DEFAULT_REFRESH_AHEAD = CredentialCache.DEFAULT_REFRESH_AHEAD;

    /** By default, at most 100,000 credentials are cached. */
    public static final long DEFAULT_MAXIMUM_SIZE = CredentialCache.DEFAULT_MAXIMUM_SIZE;

    public CacheSettings {
        Objects.requireNonNull(refreshAhead, "refreshAhead");
        if (refreshAhead.compareTo(CredentialCache.DEFAULT_MINIMUM_VALIDITY) <= 0) {
            throw new ConfigurationException("cache.refreshAhead", refreshAhead
                    + " must be longer than 1 minute and shorter than sts.sessionDuration");
        }
        if (maximumSize < 1) {
            throw new ConfigurationException("cache.maximumSize", "must be at least 1");
        }
    }

    /** Returns the defaults. */
    public static CacheSettings defaults() {
        return new CacheSettings(DEFAULT_REFRESH_AHEAD, DEFAULT_MAXIMUM_SIZE);
    }
}

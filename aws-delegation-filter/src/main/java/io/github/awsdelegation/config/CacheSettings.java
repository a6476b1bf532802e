package io.github.awsdelegation.config;

import io.github.awsdelegation.cache.CredentialCache;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code cache} section: how issued credentials are kept. The defaults are {@link CredentialCache}'s.
 *
 * @param refreshAhead    how long before expiry cached credentials are refreshed; longer than
 *                        {@code minimumValidity} and shorter than {@code sts.sessionDuration}; by default, 5 minutes
 * @param maximumSize     the maximum number of cached credentials, at least 1; by default, 100,000
 * @param minimumValidity the validity below which cached credentials are never served (the next request waits for
 *                        new ones); positive; by default, 1 minute
 */
public record CacheSettings(Duration refreshAhead, long maximumSize, Duration minimumValidity) {

    /** By default, credentials are refreshed 5 minutes before they expire. */
    public static final Duration DEFAULT_REFRESH_AHEAD = CredentialCache.DEFAULT_REFRESH_AHEAD;

    /** By default, at most 100,000 credentials are cached. */
    public static final long DEFAULT_MAXIMUM_SIZE = CredentialCache.DEFAULT_MAXIMUM_SIZE;

    /** By default, credentials with 1 minute or less left are never served. */
    public static final Duration DEFAULT_MINIMUM_VALIDITY = CredentialCache.DEFAULT_MINIMUM_VALIDITY;

    public CacheSettings {
        Objects.requireNonNull(refreshAhead, "refreshAhead");
        Objects.requireNonNull(minimumValidity, "minimumValidity");
        if (minimumValidity.isNegative() || minimumValidity.isZero()) {
            throw new ConfigurationException("cache.minimumValidity", minimumValidity
                    + " must be positive: credentials about to expire must not be handed to the app");
        }
        if (refreshAhead.compareTo(minimumValidity) <= 0) {
            throw new ConfigurationException("cache.refreshAhead", refreshAhead + " must be longer than "
                    + words(minimumValidity) + " and shorter than sts.sessionDuration"
                    + (minimumValidity.equals(DEFAULT_MINIMUM_VALIDITY) ? "" : " (longer than cache.minimumValidity, "
                            + "so credentials are refreshed before they stop being served)"));
        }
        if (maximumSize < 1) {
            throw new ConfigurationException("cache.maximumSize", "must be at least 1");
        }
    }

    /** Returns the defaults. */
    public static CacheSettings defaults() {
        return new CacheSettings(DEFAULT_REFRESH_AHEAD, DEFAULT_MAXIMUM_SIZE, DEFAULT_MINIMUM_VALIDITY);
    }

    private static String words(Duration d) {
        if (d.toSeconds() % 60 == 0 && d.toNanosPart() == 0) {
            long minutes = d.toMinutes();
            return minutes + (minutes == 1 ? " minute" : " minutes");
        }
        return d.toString();
    }
}

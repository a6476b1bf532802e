package io.github.awsdelegation.cache;

import io.github.awsdelegation.cache.grid.Grid;
import io.github.awsdelegation.cache.grid.GridCredentialStore;
import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.config.ConfigurationException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link CredentialStoreProvider} is given: the {@code cache} settings, the clock, and how long a node may hold
 * the lease on one STS call.
 *
 * @param settings  the {@code cache} section
 * @param clock     the clock credentials expire by
 * @param leaseTime how long a lease on one STS call lasts in the grid: a little longer than the STS call timeout;
 *                  when the node holding it dies, another node takes over after this long
 */
public record CredentialStoreContext(CacheSettings settings, Clock clock, Duration leaseTime) {

    public CredentialStoreContext {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(leaseTime, "leaseTime");
    }

    /**
     * Returns the store over a grid: a near-cache in this JVM in front of it, credentials encrypted with the keys of
     * {@code cache.encryption}, single flight across the cluster by leases in the grid, and local caching while the
     * grid cannot be reached.
     *
     * @param grid the engine's operations; the store closes it
     * @throws ConfigurationException when {@code cache.encryption} is missing
     */
    public CredentialStore gridStore(Grid grid) {
        if (settings.encryption() == null) {
            grid.close();
            throw new ConfigurationException("cache.encryption", "the " + settings.store() + " store keeps credentials"
                    + " outside this JVM: give cache.encryption.keys (an id and 32 random bytes in Base64 from an"
                    + " environment variable, e.g. keys: {k1: ${AWS_DELEGATION_CACHE_KEY}})");
        }
        return GridCredentialStore.builder(grid)
                .encryption(settings.encryption())
                .clock(clock)
                .maximumSize(settings.maximumSize())
                .leaseTime(leaseTime)
                .build();
    }
}

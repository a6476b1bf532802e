package io.github.awsdelegation.cache.internal;

import io.github.awsdelegation.cache.CredentialStore;
import io.github.awsdelegation.cache.CredentialStoreContext;
import io.github.awsdelegation.cache.CredentialStoreProvider;
import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.config.ConfigurationException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Makes the store {@code cache.store} names: the one in this JVM, or a clustered one found through its provider. */
public final class CredentialStores {

    private static final List<String> MODULES = List.of("hazelcast", "redis");

    private CredentialStores() {
    }

    /**
     * Creates the store of the settings.
     *
     * @param leaseTime how long a clustered store's lease on one STS call lasts
     * @throws ConfigurationException when {@code cache.store} names no store on the class path, or the store's
     *                                settings are wrong
     */
    public static CredentialStore create(CacheSettings settings, Clock clock, Duration leaseTime, ClassLoader loader) {
        if (settings.local()) {
            return new LocalCredentialStore(clock, settings.maximumSize());
        }
        List<String> found = new ArrayList<>();
        for (CredentialStoreProvider provider : ServiceLoader.load(CredentialStoreProvider.class, loader)) {
            if (provider.name().equals(settings.store())) {
                return provider.create(new CredentialStoreContext(settings, clock, leaseTime));
            }
            found.add(provider.name());
        }
        String fix = MODULES.contains(settings.store())
                ? "add the module io.github.awsdelegation:aws-delegation-" + settings.store() + " to the application"
                : "use local, hazelcast or redis (with its module aws-delegation-<name> in the application)";
        throw new ConfigurationException("cache.store", "no store '" + settings.store() + "' on the class path"
                + (found.isEmpty() ? "" : " (found: " + found + ")") + "; " + fix);
    }
}

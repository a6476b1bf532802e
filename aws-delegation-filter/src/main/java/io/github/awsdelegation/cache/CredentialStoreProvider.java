package io.github.awsdelegation.cache;

/**
 * Makes a clustered {@link CredentialStore}, found through {@link java.util.ServiceLoader}: an engine's module (such as
 * {@code aws-delegation-hazelcast} or {@code aws-delegation-redis}) registers one in
 * {@code META-INF/services/io.github.awsdelegation.cache.CredentialStoreProvider}, and the configuration's
 * {@code cache.store} names it.
 */
public interface CredentialStoreProvider {

    /** Returns the name {@code cache.store} selects this store by, such as {@code redis}. */
    String name();

    /**
     * Creates the store, connected: a bad address or a refused connection fails here, naming the key, while a grid
     * that is merely unreachable may start in local fallback (see {@link io.github.awsdelegation.cache.grid.Grid}).
     *
     * @param context the settings and the parts every store shares
     * @throws io.github.awsdelegation.config.ConfigurationException when the settings are wrong
     */
    CredentialStore create(CredentialStoreContext context);
}

package io.github.awsdelegation.redis;

import io.github.awsdelegation.cache.CredentialStore;
import io.github.awsdelegation.cache.CredentialStoreContext;
import io.github.awsdelegation.cache.CredentialStoreProvider;
import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.config.ConfigurationException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The Redis credential store ({@code cache.store: redis}, settings in {@code cache.redis}): credentials shared by the
 * nodes through one Redis server, encrypted, with a near-cache in each node.
 *
 * <p>At start-up the server is pinged: an address that cannot be resolved, or a server refusing the credentials of
 * the URI, fails the deployment naming {@code cache.redis.uri}; a server that does not answer is an outage: the node
 * caches locally (a WARN) and uses Redis once it answers.
 */
public final class RedisStoreProvider implements CredentialStoreProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} does. */
    public RedisStoreProvider() {
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public CredentialStore create(CredentialStoreContext context) {
        CacheSettings.Redis settings = context.settings().redis() != null ? context.settings().redis() : CacheSettings.Redis.defaults();
        URI uri = settings.uri();
        if (uri.getHost() == null) {
            throw new ConfigurationException("cache.redis.uri", "has no host; e.g. redis://127.0.0.1:6379");
        }
        try {
            InetAddress.getByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new ConfigurationException("cache.redis.uri", "the host '" + uri.getHost() + "' cannot be resolved", e);
        }
        if (context.settings().encryption() == null) {
            return context.gridStore(new RedisGrid(settings)); // fails, naming cache.encryption
        }
        RedisGrid grid = new RedisGrid(settings);
        try {
            grid.ping();
        } catch (JedisAccessControlException e) {
            grid.close();
            throw new ConfigurationException("cache.redis.uri", "Redis refused the user or password: " + e.getMessage(), e);
        } catch (JedisConnectionException e) {
            // Down at start-up: the store says so (a WARN) and caches locally until Redis answers.
        } catch (JedisDataException e) {
            if (e.getMessage() != null && (e.getMessage().startsWith("NOAUTH") || e.getMessage().startsWith("WRONGPASS"))) {
                grid.close();
                throw new ConfigurationException("cache.redis.uri", "Redis asks for a password: give it in the URI,"
                        + " redis://:${REDIS_PASSWORD}@host:port (" + e.getMessage() + ")", e);
            }
            // anything else: the store's own start treats it as an outage
        }
        return context.gridStore(grid);
    }
}

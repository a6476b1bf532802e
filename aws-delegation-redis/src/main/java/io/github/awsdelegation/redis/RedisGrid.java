package io.github.awsdelegation.redis;

import io.github.awsdelegation.cache.grid.Grid;
import io.github.awsdelegation.config.CacheSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The {@link Grid} operations on one Redis server (standalone, or the primary Sentinel points to), through Jedis.
 *
 * <p>Keys: {@code <prefix>c:...} for values ({@code SET ... PX}: Redis drops them when the credentials expire),
 * {@code <prefix>l:c:...} for leases ({@code SET NX PX}: atomic put-if-absent that expires whatever happens to the
 * holder; released by a Lua compare-and-delete so that a holder whose lease expired never releases another's),
 * {@code <prefix>u:...} for each user's index (a set, extended with {@code PEXPIRE} at each lease). Compare-and-set
 * and logout run as Lua scripts: Redis runs each atomically. Messages go over one pub/sub channel,
 * {@code <prefix>events}, read on a connection of their own that is opened again after an outage.
 *
 * <p>A logout's script touches keys it reads from the index: it needs all keys on one server (not Redis Cluster).
 */
final class RedisGrid implements Grid {

    private static final Logger LOG = LoggerFactory.getLogger(RedisGrid.class);

    private static final String REPLACE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              return 1
            end
            return 0""";
    private static final String COMPARE_AND_DELETE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0""";
    private static final String INDEX = """
            redis.call('SADD', KEYS[1], ARGV[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < tonumber(ARGV[2]) then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 1""";
    private static final String EVICT_USER = """
            local names = redis.call('SMEMBERS', KEYS[1])
            for _, name in ipairs(names) do
              redis.call('DEL', ARGV[1] .. name)
            end
            redis.call('DEL', KEYS[1])
            return #names""";

    private final String describe;
    private final String prefix;
    private final byte[] channel;
    private final HostAndPort address;
    private final JedisClientConfig subscriberConfig;
    private final JedisPooled redis;
    private final Duration timeout;
    private volatile boolean open = true;
    private volatile JedisPubSub subscription;
    private Thread subscriber;

    RedisGrid(CacheSettings.Redis settings) {
        URI uri = settings.uri();
        this.address = JedisURIHelper.getHostAndPort(uri);
        this.describe = "redis " + address;
        this.prefix = settings.keyPrefix();
        this.timeout = settings.timeout();
        this.channel = (prefix + "events").getBytes(StandardCharsets.UTF_8);
        int timeout = Math.toIntExact(settings.timeout().toMillis());
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                .database(JedisURIHelper.getDBIndex(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .clientName("aws-delegation");
        String user = JedisURIHelper.getUser(uri);
        String password = JedisURIHelper.getPassword(uri);
        if (password != null) {
            config.user(user).password(password);
        }
        JedisClientConfig commands = config.build();
        // The subscriber's connection waits for messages as long as there are none; pings keep it checked.
        this.subscriberConfig = DefaultJedisClientConfig.builder().from(commands).socketTimeoutMillis(0).build();
        this.redis = new JedisPooled(address, commands);
    }

    @Override
    public String describe() {
        return describe;
    }

    private byte[] key(String name) {
        return (prefix + name).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] lease(String name) {
        return key("l:" + name);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] millis(Duration ttl) {
        return bytes(Long.toString(Math.max(1, ttl.toMillis())));
    }

    @Override
    public byte[] get(String name) {
        return redis.get(key(name));
    }

    @Override
    public void put(String name, byte[] value, Duration ttl) {
        redis.set(key(name), value, SetParams.setParams().px(Math.max(1, ttl.toMillis())));
    }

    @Override
    public boolean putIfAbsent(String name, byte[] value, Duration ttl) {
        return "OK".equals(redis.set(key(name), value, SetParams.setParams().nx().px(Math.max(1, ttl.toMillis()))));
    }

    @Override
    public boolean replace(String name, byte[] expected, byte[] value, Duration ttl) {
        return Long.valueOf(1).equals(redis.eval(bytes(REPLACE), 1, key(name), expected, value, millis(ttl)));
    }

    @Override
    public void remove(String name, byte[] expected) {
        redis.eval(bytes(COMPARE_AND_DELETE), 1, key(name), expected);
    }

    @Override
    public void index(String user, String name, Duration ttl) {
        redis.eval(bytes(INDEX), 1, key(user), bytes(name), millis(ttl));
    }

    @Override
    public boolean indexed(String user, String name) {
        return redis.sismember(key(user), bytes(name));
    }

    @Override
    public void evictUser(String user) {
        redis.eval(bytes(EVICT_USER), 1, key(user), bytes(prefix));
    }

    @Override
    public boolean tryLease(String name, String holder, Duration ttl) {
        return "OK".equals(redis.set(lease(name), bytes(holder), SetParams.setParams().nx().px(Math.max(1, ttl.toMillis()))));
    }

    @Override
    public void releaseLease(String name, String holder) {
        redis.eval(bytes(COMPARE_AND_DELETE), 1, lease(name), bytes(holder));
    }

    @Override
    public void publish(String message) {
        redis.publish(channel, bytes(message));
    }

    @Override
    public synchronized void subscribe(Consumer<String> listener) {
        if (subscriber != null) {
            throw new IllegalStateException("already subscribed");
        }
        subscriber = new Thread(() -> listen(listener), "aws-delegation-redis-events");
        subscriber.setDaemon(true);
        subscriber.start();
        // Messages sent before the subscription are not delivered: the first requests wait for it a little.
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !subscribed()) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean subscribed() {
        JedisPubSub pubSub = subscription;
        return pubSub != null && pubSub.isSubscribed();
    }

    // Subscribes, and subscribes again after an outage, until closed.
    private void listen(Consumer<String> listener) {
        while (open) {
            try (Jedis connection = new Jedis(address, subscriberConfig)) {
                JedisPubSub pubSub = new JedisPubSub() {
                    @Override
                    public void onMessage(String channel, String message) {
                        try {
                            listener.accept(message);
                        } catch (RuntimeException e) {
                            LOG.warn("Credential store: a message from {} failed: {}", describe, e.toString());
                        }
                    }
                };
                subscription = pubSub;
                connection.subscribe(pubSub, new String(channel, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                LOG.debug("Credential store: subscription to {} lost: {}", describe, e.toString());
            } finally {
                subscription = null;
            }
            if (open) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void ping() {
        redis.ping();
        JedisPubSub pubSub = subscription;
        if (pubSub != null && pubSub.isSubscribed()) {
            pubSub.ping(); // the subscriber's connection: a dead one fails its read, and is opened again
        }
    }

    @Override
    public void close() {
        open = false;
        JedisPubSub pubSub = subscription;
        try {
            if (pubSub != null && pubSub.isSubscribed()) {
                pubSub.unsubscribe();
            }
        } catch (RuntimeException e) {
            // the connection is going anyway
        }
        if (subscriber != null) {
            subscriber.interrupt();
        }
        redis.close();
    }

    @Override
    public String toString() {
        return "RedisGrid[" + describe + "]";
    }
}

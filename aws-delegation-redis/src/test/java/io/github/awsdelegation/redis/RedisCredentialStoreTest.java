package io.github.awsdelegation.redis;

import io.github.awsdelegation.cache.grid.Grid;
import io.github.awsdelegation.cache.grid.GridRevocationContract;
import io.github.awsdelegation.config.CacheSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import redis.clients.jedis.Jedis;

/** The store contract on a real Redis server, which the suite starts on a free loopback port and stops at the end. */
@DisplayName("Redis credential store")
class RedisCredentialStoreTest extends GridRevocationContract {

    static RedisServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new RedisServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void serverUpAndEmpty() {
        if (!running()) {
            server.start();
        }
        try (Jedis jedis = new Jedis(URI.create(server.uri()))) {
            jedis.flushAll();
        }
    }

    private static boolean running() {
        try (Jedis jedis = new Jedis(URI.create(server.uri()))) {
            jedis.ping();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    protected Grid grid() {
        return new RedisGrid(new CacheSettings.Redis(URI.create(server.uri()), Duration.ofMillis(500), null));
    }

    @Override
    protected List<byte[]> rawContent() {
        List<byte[]> raw = new ArrayList<>();
        try (Jedis jedis = new Jedis(URI.create(server.uri()))) {
            for (byte[] key : jedis.keys("*".getBytes())) {
                raw.add(key);
                String type = jedis.type(key);
                if ("set".equals(type)) {
                    raw.addAll(jedis.smembers(key));
                } else if ("string".equals(type)) {
                    raw.add(jedis.get(key));
                } else {
                    throw new AssertionError("unexpected type " + type);
                }
            }
        }
        return raw;
    }

    @Override
    protected void stopEngine() {
        server.stop();
    }

    @Override
    protected void startEngine() {
        server.start();
    }
}

package io.github.awsdelegation.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.cache.CredentialStore;
import io.github.awsdelegation.cache.grid.GridCredentialStore;
import io.github.awsdelegation.cache.internal.CredentialStores;
import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.config.ConfigurationException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** {@code cache.store: redis} at deployment: found on the class path, connected, or failing with the key to fix. */
class RedisStoreProviderTest {

    static final CacheSettings.Encryption KEYS = new CacheSettings.Encryption(null,
            Map.of("k1", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));

    static RedisServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = new RedisServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static CredentialStore create(CacheSettings.Encryption keys, String uri) {
        CacheSettings settings = new CacheSettings(CacheSettings.DEFAULT_REFRESH_AHEAD, 1000, null, "redis", keys, null,
                new CacheSettings.Redis(URI.create(uri), Duration.ofMillis(500), null));
        return CredentialStores.create(settings, Clock.systemUTC(), Duration.ofSeconds(10), RedisStoreProviderTest.class.getClassLoader());
    }

    @Test
    @DisplayName("cache.store: redis finds the module's store, connected to the server")
    void create_connected() {
        try (CredentialStore store = create(KEYS, server.uri())) {
            assertThat(store).isInstanceOf(GridCredentialStore.class);
            assertThat(store.reachable()).isTrue();
            assertThat(store.fallbackActive()).isFalse();
        }
    }

    @Test
    @DisplayName("a store in Redis without encryption keys fails the deployment, naming cache.encryption")
    void create_withoutKeys_fails() {
        assertThatThrownBy(() -> create(null, server.uri()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("cache.encryption")
                .hasMessageContaining("keys");
    }

    @Test
    @DisplayName("a host that does not resolve fails the deployment, naming cache.redis.uri")
    void create_unknownHost_fails() {
        assertThatThrownBy(() -> create(KEYS, "redis://no-such-host.invalid:6379"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("cache.redis.uri")
                .hasMessageContaining("no-such-host.invalid");
    }

    @Test
    @DisplayName("a server asking for a password the URI does not give fails the deployment, naming cache.redis.uri")
    void create_passwordMissing_fails() {
        try (Jedis admin = new Jedis(URI.create(server.uri()))) {
            admin.configSet("requirepass", "s3cret-pw");
        }
        try {
            assertThatThrownBy(() -> create(KEYS, server.uri()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("cache.redis.uri")
                    .hasMessageNotContaining("s3cret-pw");
            try (CredentialStore store = create(KEYS, "redis://:s3cret-pw@127.0.0.1:" + server.port())) {
                assertThat(store.reachable()).as("with the password in the URI").isTrue();
                assertThat(store.toString()).doesNotContain("s3cret-pw");
            }
        } finally {
            try (Jedis admin = new Jedis(URI.create("redis://:s3cret-pw@127.0.0.1:" + server.port()))) {
                admin.configSet("requirepass", "");
            }
        }
    }

    @Test
    @DisplayName("a server down at start-up is an outage, not a failed deployment: the node caches locally")
    void create_serverDown_fallsBack() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (CredentialStore store = create(KEYS, "redis://127.0.0.1:" + closedPort)) {
            assertThat(store.reachable()).isFalse();
            assertThat(store.fallbackActive()).isTrue();
            assertThat(store.fallbacks()).isEqualTo(1);
        }
    }
}

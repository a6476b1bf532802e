package io.github.awsdelegation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.cache.internal.CredentialStores;
import io.github.awsdelegation.cache.internal.LocalCredentialStore;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cache.store} settings: which store keeps credentials, its engine's section and the encryption keys. */
class DelegationConfigLoaderCacheStoreTest {

    static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="; // 32 bytes

    final DelegationConfigLoader loader = DelegationConfigLoader.withVariables(Map.of("CACHE_KEY", KEY));

    static String document(String cache) {
        return """
                oidc:
                  issuer: https://idp.example/
                  clientId: pet-shop
                sts:
                  region: eu-west-1
                cache:
                %s
                rules:
                  - id: all
                    roles:
                      - arn: arn:aws:iam::123456789012:role/buyer
                """.formatted(cache.indent(2).stripTrailing());
    }

    @Test
    @DisplayName("by default, credentials are kept in this JVM, and no engine nor key is needed")
    void defaults_local() {
        CacheSettings cache = loader.parse(document("maximumSize: 10")).cache();

        assertThat(cache.store()).isEqualTo("local");
        assertThat(cache.local()).isTrue();
        assertThat(cache.encryption()).isNull();
        assertThat(CredentialStores.create(cache, Clock.systemUTC(), Duration.ofSeconds(10), getClass().getClassLoader()))
                .isInstanceOf(LocalCredentialStore.class);
    }

    @Test
    @DisplayName("a Redis store with its keys from the environment")
    void redis() {
        CacheSettings cache = loader.parse(document("""
                store: redis
                encryption:
                  keys:
                    k1: ${CACHE_KEY}
                redis:
                  uri: redis://127.0.0.1:6390
                  timeout: 2s
                """)).cache();

        assertThat(cache.store()).isEqualTo("redis");
        assertThat(cache.encryption().activeKey()).as("the only key").isEqualTo("k1");
        assertThat(cache.encryption().keys()).containsEntry("k1", KEY);
        assertThat(cache.redis().uri()).isEqualTo(URI.create("redis://127.0.0.1:6390"));
        assertThat(cache.redis().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(cache.redis().keyPrefix()).isEqualTo("aws-delegation:");
        assertThat(cache.encryption().toString()).doesNotContain(KEY);
    }

    @Test
    @DisplayName("a Hazelcast store: members and mode, with defaults for the rest")
    void hazelcast() {
        CacheSettings cache = loader.parse(document("""
                store: hazelcast
                encryption:
                  activeKey: k2
                  keys: {k1: "${CACHE_KEY}", k2: "${CACHE_KEY}"}
                hazelcast:
                  mode: client
                  members: [127.0.0.1:5701, 127.0.0.1:5702]
                """)).cache();

        assertThat(cache.hazelcast().mode()).isEqualTo(CacheSettings.Hazelcast.Mode.CLIENT);
        assertThat(cache.hazelcast().members()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
        assertThat(cache.hazelcast().clusterName()).isEqualTo("aws-delegation");
        assertThat(cache.hazelcast().port()).isEqualTo(5701);
        assertThat(cache.hazelcast().host()).isEqualTo("127.0.0.1");
        assertThat(cache.encryption().activeKey()).isEqualTo("k2");
    }

    @Test
    @DisplayName("an unknown store, or one whose module is missing, fails naming the key and the fix")
    void unknownStore_fails() {
        CacheSettings typo = loader.parse(document("store: redsi")).cache();
        assertThatThrownBy(() -> CredentialStores.create(typo, Clock.systemUTC(), Duration.ofSeconds(10), getClass().getClassLoader()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("cache.store")
                .hasMessageContaining("use local, hazelcast or redis");
        CacheSettings missing = loader.parse(document("store: hazelcast")).cache();
        assertThatThrownBy(() -> CredentialStores.create(missing, Clock.systemUTC(), Duration.ofSeconds(10), getClass().getClassLoader()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("cache.store")
                .hasMessageContaining("add the module io.github.awsdelegation:aws-delegation-hazelcast");
    }

    @Test
    @DisplayName("encryption keys: 32 bytes of Base64, an active key among them, never in a message")
    void encryption_mistakes() {
        assertThatThrownBy(() -> loader.parse(document("encryption:\n  keys: {}")))
                .hasMessageContaining("cache.encryption.keys");
        assertThatThrownBy(() -> loader.parse(document("encryption:\n  keys: {k1: '${CACHE_KEY}', k2: '${CACHE_KEY}'}")))
                .hasMessageContaining("cache.encryption.activeKey");
        assertThatThrownBy(() -> loader.parse(document("encryption:\n  activeKey: k3\n  keys:\n    k1: ${CACHE_KEY}")))
                .hasMessageContaining("cache.encryption.activeKey").hasMessageContaining("'k3' is not one of the keys [k1]");
        assertThatThrownBy(() -> loader.parse(document("hazelcast:\n  port: 70000")))
                .hasMessageContaining("cache.hazelcast.port");
        assertThatThrownBy(() -> loader.parse(document("redis:\n  uri: http://127.0.0.1:6379")))
                .hasMessageContaining("cache.redis.uri");
        assertThat(new CacheSettings.Redis(URI.create("redis://:hunter2@127.0.0.1:6379"), null, null).toString())
                .doesNotContain("hunter2");
    }

    @Test
    @DisplayName("encryption keys from a PKCS#12 keystore: its AES keys by alias, besides those given in Base64")
    void encryption_keyStore(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cache-keys.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        byte[] k2 = new byte[32];
        k2[0] = 42;
        store.setEntry("k2", new KeyStore.SecretKeyEntry(new SecretKeySpec(k2, "AES")),
                new KeyStore.PasswordProtection("store-pw".toCharArray()));
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "store-pw".toCharArray());
        }
        DelegationConfigLoader withPassword = DelegationConfigLoader.withVariables(Map.of("CACHE_KEY", KEY,
                "KEYSTORE", file.toString(), "KEYSTORE_PASSWORD", "store-pw"));

        CacheSettings.Encryption encryption = withPassword.parse(document("""
                encryption:
                  activeKey: k2
                  keys:
                    k1: ${CACHE_KEY}
                  keyStore:
                    path: ${KEYSTORE}
                    password: ${KEYSTORE_PASSWORD}
                """)).cache().encryption();

        assertThat(encryption.keys()).containsOnlyKeys("k1", "k2");
        assertThat(encryption.keys().get("k2")).isEqualTo(Base64.getEncoder().encodeToString(k2));
        assertThat(encryption.toString()).doesNotContain("store-pw");
        assertThatThrownBy(() -> withPassword.parse(document("""
                encryption:
                  keyStore:
                    path: ${KEYSTORE}
                    password: wrong
                """))).isInstanceOf(ConfigurationException.class).hasMessageContaining("cache.encryption.keyStore");
    }
}

package io.github.awsdelegation.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.cache.CredentialStore;
import io.github.awsdelegation.cache.grid.GridCredentialStore;
import io.github.awsdelegation.cache.internal.CredentialStores;
import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.config.ConfigurationException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code cache.store: hazelcast} at deployment: found on the class path, joined, or failing with the key to fix. */
class HazelcastStoreProviderTest {

    static final CacheSettings.Encryption KEYS = new CacheSettings.Encryption(null,
            Map.of("k1", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));

    static CredentialStore create(CacheSettings.Encryption keys, CacheSettings.Hazelcast hazelcast) {
        CacheSettings settings = new CacheSettings(CacheSettings.DEFAULT_REFRESH_AHEAD, 1000, null, "hazelcast", keys, hazelcast, null);
        return CredentialStores.create(settings, Clock.systemUTC(), Duration.ofSeconds(10),
                HazelcastStoreProviderTest.class.getClassLoader());
    }

    @Test
    @DisplayName("cache.store: hazelcast starts an embedded member on 127.0.0.1, and two such nodes form one cluster")
    void create_embeddedMembers() {
        HazelcastTestCluster addresses = new HazelcastTestCluster(2);
        try (CredentialStore one = create(KEYS, addresses.settings(CacheSettings.Hazelcast.Mode.EMBEDDED, addresses.ports.get(0)));
                CredentialStore two = create(KEYS, addresses.settings(CacheSettings.Hazelcast.Mode.EMBEDDED, addresses.ports.get(1)))) {
            assertThat(one).isInstanceOf(GridCredentialStore.class);
            assertThat(one.reachable()).isTrue();
            assertThat(two.toString()).contains("hazelcast member [127.0.0.1]:" + addresses.ports.get(1));
            assertThat(one.toString()).contains("of cluster '" + addresses.name + "'");
        }
    }

    @Test
    @DisplayName("a store in Hazelcast without encryption keys fails the deployment, naming cache.encryption")
    void create_withoutKeys_fails() {
        assertThatThrownBy(() -> create(null, CacheSettings.Hazelcast.defaults()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("cache.encryption");
    }

    @Test
    @DisplayName("a member address that is not host:port, or whose host does not resolve, fails naming the entry")
    void create_badMember_fails() {
        assertThatThrownBy(() -> create(KEYS, new CacheSettings.Hazelcast(null, null, List.of("127.0.0.1:5701", "127.0.0.1:x"), 0, null)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("cache.hazelcast.members[1]");
        assertThatThrownBy(() -> create(KEYS, new CacheSettings.Hazelcast(CacheSettings.Hazelcast.Mode.CLIENT, null,
                List.of("no-such-host.invalid:5701"), 0, null)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("cache.hazelcast.members[0]")
                .hasMessageContaining("no-such-host.invalid");
    }

    @Test
    @DisplayName("a client whose cluster is down at start-up: an outage, not a failed deployment; the node caches locally")
    void create_clientClusterDown_fallsBack() {
        HazelcastTestCluster nobody = new HazelcastTestCluster(1);
        try (CredentialStore store = create(KEYS, nobody.settings(CacheSettings.Hazelcast.Mode.CLIENT, 0))) {
            assertThat(store.reachable()).isFalse();
            assertThat(store.fallbackActive()).isTrue();
        }
    }
}

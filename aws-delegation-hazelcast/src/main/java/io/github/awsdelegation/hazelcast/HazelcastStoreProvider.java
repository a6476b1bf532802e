package io.github.awsdelegation.hazelcast;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.github.awsdelegation.cache.CredentialStore;
import io.github.awsdelegation.cache.CredentialStoreContext;
import io.github.awsdelegation.cache.CredentialStoreProvider;
import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.config.ConfigurationException;
import java.time.Duration;

/**
 * The Hazelcast credential store ({@code cache.store: hazelcast}, settings in {@code cache.hazelcast}): credentials
 * shared by the nodes through a Hazelcast cluster, encrypted, with a near-cache in each node.
 *
 * <p>In {@code embedded} mode each node starts a member that joins the listed members; in {@code client} mode it
 * connects to them. Addresses that do not resolve fail the deployment naming the entry; a cluster that does not
 * answer a client at start-up is an outage: the node caches locally and uses the cluster once it connects.
 */
public final class HazelcastStoreProvider implements CredentialStoreProvider {

    private static final Duration CONNECT_WAIT = Duration.ofSeconds(5);

    /** Creates the provider; {@link java.util.ServiceLoader} does. */
    public HazelcastStoreProvider() {
    }

    @Override
    public String name() {
        return "hazelcast";
    }

    @Override
    public CredentialStore create(CredentialStoreContext context) {
        CacheSettings.Hazelcast settings = context.settings().hazelcast() != null
                ? context.settings().hazelcast() : CacheSettings.Hazelcast.defaults();
        if (context.settings().encryption() == null) {
            throw new ConfigurationException("cache.encryption", "the hazelcast store keeps credentials outside this JVM:"
                    + " give cache.encryption.keys (an id and 32 random bytes in Base64 from an environment variable)");
        }
        HazelcastGrid grid = settings.mode() == CacheSettings.Hazelcast.Mode.CLIENT ? client(settings) : member(settings);
        return context.gridStore(grid);
    }

    static HazelcastGrid member(CacheSettings.Hazelcast settings) {
        HazelcastInstance member;
        try {
            member = Hazelcast.newHazelcastInstance(HazelcastConfigs.member(settings));
        } catch (ConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigurationException("cache.hazelcast", "the embedded member cannot start on " + settings.host()
                    + ":" + settings.port() + ": " + e.getMessage(), e);
        }
        return new HazelcastGrid(member, true, "hazelcast member " + member.getCluster().getLocalMember().getAddress()
                + " of cluster '" + settings.clusterName() + "'");
    }

    static HazelcastGrid client(CacheSettings.Hazelcast settings) {
        HazelcastInstance client = HazelcastClient.newHazelcastClient(HazelcastConfigs.client(settings));
        HazelcastGrid grid = new HazelcastGrid(client, true, "hazelcast client of " + settings.members()
                + " (cluster '" + settings.clusterName() + "')");
        // The client connects in the background: a cluster that is up answers within moments.
        long deadline = System.nanoTime() + CONNECT_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                grid.ping();
                break;
            } catch (RuntimeException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return grid;
    }
}

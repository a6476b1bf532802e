package io.github.awsdelegation.hazelcast;

import io.github.awsdelegation.cache.grid.Grid;
import io.github.awsdelegation.cache.grid.GridRevocationContract;
import io.github.awsdelegation.config.CacheSettings;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;

/**
 * The store contract with each node a Hazelcast client of a real member started by the suite on 127.0.0.1; the
 * outage stops the member and starts it again on the same port.
 */
@DisplayName("Hazelcast credential store, clients")
class HazelcastClientStoreTest extends GridRevocationContract {

    static HazelcastTestCluster cluster;

    @BeforeAll
    static void startMember() {
        cluster = new HazelcastTestCluster(1).start();
    }

    @AfterAll
    static void stopMember() {
        cluster.shutdown();
    }

    @BeforeEach
    void memberUpAndEmpty() {
        if (cluster.members.isEmpty()) {
            cluster.start();
        }
        cluster.clear();
    }

    @Override
    protected Grid grid() {
        return HazelcastStoreProvider.client(cluster.settings(CacheSettings.Hazelcast.Mode.CLIENT, 0));
    }

    @Override
    protected List<byte[]> rawContent() {
        return cluster.rawContent();
    }

    @Override
    protected void stopEngine() {
        cluster.shutdown();
    }

    @Override
    protected void startEngine() {
        cluster.start();
    }
}

package io.github.awsdelegation.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.cache.grid.Grid;
import io.github.awsdelegation.cache.grid.GridCredentialStore;
import io.github.awsdelegation.cache.grid.GridRevocationContract;
import io.github.awsdelegation.sts.IssuedCredentials;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The store contract on three real Hazelcast members embedded in the test JVM (each node's store on one of them, in
 * turn), found by a TCP member list on 127.0.0.1.
 */
@DisplayName("Hazelcast credential store, embedded members")
class HazelcastEmbeddedStoreTest extends GridRevocationContract {

    static HazelcastTestCluster cluster;
    final AtomicInteger next = new AtomicInteger();

    @BeforeAll
    static void startMembers() {
        cluster = new HazelcastTestCluster(3).start();
    }

    @AfterAll
    static void stopMembers() {
        cluster.shutdown();
    }

    @BeforeEach
    void empty() {
        cluster.clear();
    }

    @Override
    protected Grid grid() {
        // A node's own member; closing the node's store leaves the member to the suite.
        return new HazelcastGrid(cluster.members.get(next.getAndIncrement() % cluster.members.size()), false, "test member");
    }

    @Override
    protected List<byte[]> rawContent() {
        return cluster.rawContent();
    }

    @Override
    protected void stopEngine() {
        throw new UnsupportedOperationException("an embedded member is its node's grid");
    }

    @Override
    protected void startEngine() {
        throw new UnsupportedOperationException("an embedded member is its node's grid");
    }

    /** Replaces the contract's outage: an embedded node is never cut from its own member. */
    @Override
    @Test
    @DisplayName("a member dies: the other nodes keep its entries (backups) and keep serving")
    protected void outage_fallsBackAndRejoins() {
        HazelcastTestCluster own = new HazelcastTestCluster(2).start();
        try {
            GridCredentialStore one = GridCredentialStore.builder(new HazelcastGrid(own.members.get(0), false, "one"))
                    .encryption(ONE_KEY).build();
            GridCredentialStore two = GridCredentialStore.builder(new HazelcastGrid(own.members.get(1), false, "two"))
                    .encryption(ONE_KEY).build();
            IssuedCredentials issued = sts(Duration.ofHours(1));
            put(one, alice, issued);

            own.members.remove(0).getLifecycleService().terminate(); // killed, not shut down gracefully
            one.close();

            assertThat(accessKeyId(two.get(alice))).isEqualTo(accessKeyId(issued));
            GridCredentialStore three = GridCredentialStore.builder(new HazelcastGrid(own.members.get(0), false, "three"))
                    .encryption(ONE_KEY).build();
            assertThat(accessKeyId(three.get(alice))).as("from the backup, not a near-cache").isEqualTo(accessKeyId(issued));
            assertThat(two.reachable()).isTrue();
            two.close();
            three.close();
        } finally {
            own.shutdown();
        }
    }

    /** Replaces the contract's outage: an embedded node is never cut from its own member (see the test above). */
    @Override
    @Test
    @DisplayName("a member dies: the revocations it held are read from the backups on the other nodes")
    protected void revocation_outage_failsClosedForWrites() {
        HazelcastTestCluster own = new HazelcastTestCluster(2).start();
        try {
            GridCredentialStore one = GridCredentialStore.builder(new HazelcastGrid(own.members.get(0), false, "one"))
                    .encryption(ONE_KEY).build();
            one.revocationStore().put("s https://idp.example/ alice", "2026-12-06T19:00:00Z", Duration.ofHours(1));

            own.members.remove(0).getLifecycleService().terminate();
            one.close();

            GridCredentialStore two = GridCredentialStore.builder(new HazelcastGrid(own.members.get(0), false, "two"))
                    .encryption(ONE_KEY).build();
            assertThat(two.revocationStore().get("s https://idp.example/ alice")).isEqualTo("2026-12-06T19:00:00Z");
            two.close();
        } finally {
            own.shutdown();
        }
    }
}

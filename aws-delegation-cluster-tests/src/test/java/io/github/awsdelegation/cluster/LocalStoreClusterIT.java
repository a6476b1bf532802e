package io.github.awsdelegation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Why the cluster needs a shared store: three nodes on the local store (the default) call STS for each user once each. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStoreClusterIT {

    private Cluster cluster;
    private LoadClient client;

    @BeforeAll
    void start() {
        cluster = Cluster.start(new Cluster.Store() {
            @Override
            public String name() {
                return "local";
            }

            @Override
            public Map<String, String> nodeVariables(int index, int count) {
                return Map.of();
            }
        }, 3);
        client = new LoadClient();
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @DisplayName("on the local store, every node calls STS for every user it serves: users x 3")
    void localStore_usersOnEveryNode_oneStsCallPerUserAndNode() {
        List<LoadClient.User> users = LoadClient.users(cluster.aws().identityProvider(), "local", 300);

        List<LoadClient.Outcome> outcomes = client.run(users, 3, cluster::urls, "api/me");

        assertThat(LoadClient.errors(outcomes)).as(cluster.logs()).isEmpty();
        assertThat(cluster.successfulCalls()).hasSize(300 * 3);
    }
}

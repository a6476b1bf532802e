package io.github.awsdelegation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The cluster on Redis: one redis-server on 127.0.0.1, which the suite also stops and starts again. */
class RedisClusterIT extends ClusterContract {

    private RedisStore redis;

    @Override
    Cluster.Store store() {
        redis = new RedisStore();
        return redis;
    }

    @Test
    @Order(50)
    @DisplayName("Redis stopped and restarted mid-run: 0 errors, and STS calls bounded (at most one per user and node more)")
    void redisStoppedAndRestarted_noErrors_stsCallsBounded() {
        List<LoadClient.User> users = LoadClient.users(idp(), "outage", USERS);
        assertThat(LoadClient.errors(client.run(users, NODES, cluster::urls, "api/me"))).isEmpty();
        assertThat(cluster.callsBySubject("amazon|outage-")).hasSize(USERS);

        CompletableFuture<List<LoadClient.Outcome>> load = CompletableFuture.supplyAsync(
                () -> client.runFor(users, Duration.ofSeconds(15), cluster::urls, "api/me"));
        NodeProcess.sleep(Duration.ofSeconds(3));
        redis.stop();
        NodeProcess.sleep(Duration.ofSeconds(5));
        redis.restart();
        List<LoadClient.Outcome> outcomes = load.join();

        assertThat(LoadClient.errors(outcomes)).as("errors; %s", cluster.logs()).isEmpty();
        long calls = cluster.callsBySubject("amazon|outage-").values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("Redis outage: %d STS calls for %d users%n", calls, USERS);
        // Before: one per user. During the outage each node may call once per user it serves from its own cache, and
        // after the restart (an empty Redis) one node per user once more.
        assertThat(calls).isBetween((long) USERS, (long) USERS * (1 + NODES + 1));
    }
}

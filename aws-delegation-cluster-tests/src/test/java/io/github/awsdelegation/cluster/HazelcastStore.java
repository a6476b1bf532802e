package io.github.awsdelegation.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The Hazelcast store of the cluster: each node an embedded member on its own port of 127.0.0.1, finding the others
 * by the members list (TCP; multicast off), under a cluster name of its own so that no other run joins.
 */
final class HazelcastStore implements Cluster.Store {

    private final List<Integer> ports = new ArrayList<>();
    private final String clusterName = "cluster-suite-" + UUID.randomUUID();

    HazelcastStore(int count) {
        for (int i = 0; i < count; i++) {
            ports.add(NodeProcess.freePort());
        }
    }

    @Override
    public String name() {
        return "hazelcast";
    }

    @Override
    public List<String> settings(int index, int count) {
        return List.of("clusterName: " + clusterName, "host: 127.0.0.1", "port: " + ports.get(index),
                "members: [" + String.join(", ", ports.stream().map(port -> "127.0.0.1:" + port).toList()) + "]");
    }
}

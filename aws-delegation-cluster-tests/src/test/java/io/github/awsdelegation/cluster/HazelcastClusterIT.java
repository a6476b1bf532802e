package io.github.awsdelegation.cluster;

/**
 * The cluster on Hazelcast: each node an embedded member, the members list their three ports on 127.0.0.1. The nodes run
 * the sample WAR with {@code aws-delegation-hazelcast} added to its {@code WEB-INF/lib} (the pom builds that WAR).
 */
class HazelcastClusterIT extends ClusterContract {

    @Override
    Cluster.Store store() {
        return new HazelcastStore(NODES);
    }
}

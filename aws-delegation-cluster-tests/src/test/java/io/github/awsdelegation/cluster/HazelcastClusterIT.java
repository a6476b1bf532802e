package io.github.awsdelegation.cluster;

/** The cluster on Hazelcast: each node an embedded member, the members list their three ports on 127.0.0.1. */
class HazelcastClusterIT extends ClusterContract {

    @Override
    Cluster.Store store() {
        return new HazelcastStore(NODES);
    }
}

package io.github.awsdelegation.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;

/**
 * The cluster on Hazelcast: each node an embedded member, the members list their three ports on 127.0.0.1.
 *
 * <p>Runs when the sample WAR holds the Hazelcast store module (sample-war's dependency on
 * {@code aws-delegation-hazelcast}, next to {@code aws-delegation-redis}); until that module is on main, the suite says
 * so and is skipped.
 */
class HazelcastClusterIT extends ClusterContract {

    @Override
    Cluster.Store store() {
        File lib = new File(System.getProperty("cluster.war", "../sample-war/target/sample-war"), "WEB-INF/lib");
        String[] jars = lib.list((dir, name) -> name.startsWith("aws-delegation-hazelcast"));
        assumeTrue(jars != null && jars.length > 0, "the sample WAR does not hold aws-delegation-hazelcast: add the module"
                + " to sample-war's dependencies (runtime, beside aws-delegation-redis) to run the Hazelcast cluster suite");
        return new HazelcastStore(NODES);
    }
}

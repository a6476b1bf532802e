/**
 * The Hazelcast credential store: add this module to an application and set {@code cache.store: hazelcast}
 * (docs/cluster.md, "Credential stores").
 */
package io.github.awsdelegation.hazelcast;

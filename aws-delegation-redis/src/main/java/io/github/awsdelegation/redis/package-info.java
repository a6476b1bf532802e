/**
 * The Redis credential store: add this module to an application and set {@code cache.store: redis}
 * (docs/cluster.md, "Credential stores").
 */
package io.github.awsdelegation.redis;

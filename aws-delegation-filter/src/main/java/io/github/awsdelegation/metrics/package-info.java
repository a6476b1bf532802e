/**
 * Metrics of the pipeline on a Micrometer registry: {@link io.github.awsdelegation.metrics.DelegationMetrics}. Micrometer
 * is an optional dependency: this package is the only one that needs it, and only when an app binds a registry.
 */
package io.github.awsdelegation.metrics;

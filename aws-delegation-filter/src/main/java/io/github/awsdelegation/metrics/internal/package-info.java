/**
 * The hooks the stages report measurements and spans through ({@link io.github.awsdelegation.metrics.internal.Telemetry}),
 * and their Micrometer and OpenTelemetry implementations, each loaded only when its library is on the class path; not
 * API, may change without notice.
 */
package io.github.awsdelegation.metrics.internal;

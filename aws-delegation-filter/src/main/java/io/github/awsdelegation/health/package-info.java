/**
 * Readiness: is the issuer discovered and its keys fresh, has STS answered, is the SAML signing certificate far from
 * expiry, is the credential store reachable. {@link io.github.awsdelegation.health.DelegationHealth} checks;
 * {@link io.github.awsdelegation.health.HealthReport} is the answer (docs/operations.md, "Health").
 */
package io.github.awsdelegation.health;

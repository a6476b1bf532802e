/**
 * The audit trail: one JSON record per {@link io.github.awsdelegation.DelegationEvent} on the
 * {@value io.github.awsdelegation.audit.AuditTrail#LOGGER} logger, whose schema docs/operations.md documents.
 */
package io.github.awsdelegation.audit;

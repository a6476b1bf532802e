package io.github.awsdelegation;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The values of a {@link DelegationEvent}, which the event answers from and compares by. The type, the entry point, the
 * issuer and the subject are required, and an eviction's cause.
 */
record EventFields(
        DelegationEvent.Type type,
        Instant time,
        String requestId,
        EntryPoint entryPoint,
        String issuer,
        String subject,
        String sessionId,
        String connection,
        String ruleId,
        String reason,
        String requestedRole,
        String roleArn,
        String region,
        String roleSessionName,
        String sourceIdentity,
        String assumedRoleArn,
        String assumedRoleId,
        Instant expiration,
        String stsRequestId,
        String errorCode,
        Duration retryAfter,
        String limit,
        DelegationEvent.EvictionCause evictionCause) {

    EventFields {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(entryPoint, "entryPoint");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        if (type == DelegationEvent.Type.EVICTED) {
            Objects.requireNonNull(evictionCause, "evictionCause");
        }
    }
}

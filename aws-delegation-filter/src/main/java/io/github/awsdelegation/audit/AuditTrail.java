package io.github.awsdelegation.audit;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.DelegationListener;
import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.internal.LogSafe;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON record per {@link DelegationEvent} on the {@value #LOGGER} logger: a decision, an issue, a refresh,
 * a denial, a failure, a throttled request, an eviction; {@link io.github.awsdelegation.DelegationService} registers
 * one. Successes are logged at INFO, denials, failures and throttled requests at WARN; set the logger's level to
 * {@code OFF} to turn the trail off, or route it to its own file or collector (docs/operations.md, "Audit trail").
 *
 * <p>A decision that repeats the last one recorded for the same user, provider session and entry point (same rule,
 * role and requested role) within {@link #REPEAT_WINDOW} is not written again: the rules run on every request, and
 * a record per cached request would bury the trail (the decisions metric still counts every one). A
 * denial, failure or eviction in that scope makes the next decision new again.
 *
 * <p>A record holds the event's fields ({@link #toJson}), never a token, an assertion or a secret. Every string that
 * comes from a request or a token is neutralised by {@link LogSafe} (control characters escaped, cut after
 * {@value LogSafe#MAX_LENGTH} characters) and the record is written by a JSON encoder, so no value can end the record
 * or forge another.
 */
public final class AuditTrail implements DelegationListener {

    /** The logger the records are written on. */
    public static final String LOGGER = "io.github.awsdelegation.audit";

    /** The version of the record's schema, in each record's {@code schema} field. */
    public static final String SCHEMA = "aws-delegation.audit/1";

    /** How long a decision that repeats the last one recorded is left out of the trail. */
    public static final Duration REPEAT_WINDOW = Duration.ofMinutes(15);

    static final int MAX_REMEMBERED_DECISIONS = 100_000;

    private final Logger log;
    // Maintenance on the calling thread, as the filter's other caches do: no hand-off to the common pool every few reads.
    private final Cache<DecisionScope, Recorded> lastDecisions = Caffeine.newBuilder()
            .maximumSize(MAX_REMEMBERED_DECISIONS).executor(Runnable::run).build();

    private record DecisionScope(String issuer, String subject, String sessionId, EntryPoint entryPoint) {
        static DecisionScope of(DelegationEvent event) {
            return new DecisionScope(event.issuer(), event.subject(), event.sessionId(), event.entryPoint());
        }
    }

    private record Recorded(String ruleId, String roleArn, String requestedRole, Instant time) {
        boolean repeatedBy(Recorded next) {
            return Objects.equals(ruleId, next.ruleId) && Objects.equals(roleArn, next.roleArn)
                    && Objects.equals(requestedRole, next.requestedRole) && !next.time.isBefore(time)
                    && Duration.between(time, next.time).compareTo(REPEAT_WINDOW) < 0;
        }
    }

    /** Creates the trail on the {@value #LOGGER} logger. */
    public AuditTrail() {
        this(LoggerFactory.getLogger(LOGGER));
    }

    /** Creates the trail on a given logger, for tests. */
    AuditTrail(Logger log) {
        this.log = log;
    }

    @Override
    public void onEvent(DelegationEvent event) {
        boolean warn = event.outcome() != DelegationEvent.Outcome.SUCCESS;
        if (warn ? !log.isWarnEnabled() : !log.isInfoEnabled()) {
            return;
        }
        if (repeatsLastDecision(event)) {
            return;
        }
        String json = toJson(event);
        if (warn) {
            log.warn("{}", json);
        } else {
            log.info("{}", json);
        }
    }

    // Remembers the decision it lets through; a denial, failure or eviction in the same scope forgets it.
    private boolean repeatsLastDecision(DelegationEvent event) {
        DecisionScope scope = DecisionScope.of(event);
        if (event.type() != DelegationEvent.Type.DECIDED) {
            if (event.outcome() != DelegationEvent.Outcome.SUCCESS || event.type() == DelegationEvent.Type.EVICTED) {
                lastDecisions.invalidate(scope);
            }
            return false;
        }
        Recorded next = new Recorded(event.ruleId(), event.roleArn(), event.requestedRole(), event.time());
        Recorded last = lastDecisions.getIfPresent(scope);
        if (last != null && last.repeatedBy(next)) {
            return true;
        }
        lastDecisions.put(scope, next);
        return false;
    }

    /**
     * Returns the audit record of an event: a JSON object of its set fields, in the order docs/operations.md lists
     * them; absent fields are left out.
     */
    public static String toJson(DelegationEvent event) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("schema", SCHEMA);
        put(record, "time", event.time());
        put(record, "type", event.type().name());
        put(record, "outcome", event.outcome().tag());
        put(record, "requestId", event.requestId());
        put(record, "entryPoint", event.entryPoint().name());
        put(record, "issuer", event.issuer());
        put(record, "subject", event.subject());
        put(record, "sessionId", event.sessionId());
        put(record, "connection", event.connection());
        put(record, "ruleId", event.ruleId());
        put(record, "reason", event.reason());
        put(record, "requestedRole", event.requestedRole());
        put(record, "roleArn", event.roleArn());
        put(record, "region", event.region());
        put(record, "roleSessionName", event.roleSessionName());
        put(record, "sourceIdentity", event.sourceIdentity());
        put(record, "assumedRoleArn", event.assumedRoleArn());
        put(record, "assumedRoleId", event.assumedRoleId());
        put(record, "expiration", event.expiration());
        put(record, "stsRequestId", event.stsRequestId());
        put(record, "errorCode", event.errorCode());
        if (event.retryAfter() != null) {
            record.put("retryAfterSeconds", event.retryAfter().toSeconds());
        }
        put(record, "limit", event.limit());
        put(record, "evictionCause", event.evictionCause() == null ? null : event.evictionCause().name());
        return JSONObjectUtils.toJSONString(record);
    }

    private static void put(Map<String, Object> record, String name, Object value) {
        if (value != null) {
            record.put(name, LogSafe.of(value));
        }
    }

    @Override
    public String toString() {
        return "AuditTrail[" + log.getName() + "]";
    }
}

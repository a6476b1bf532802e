package io.github.awsdelegation.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.EntryPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The audit trail's records on the real {@value AuditTrail#LOGGER} logger: one JSON line per event, nothing forged. */
class AuditTrailTest {

    private final AuditTrail trail = new AuditTrail();
    private CapturedAuditLog log;

    @BeforeEach
    void capture() {
        log = CapturedAuditLog.start();
    }

    @AfterEach
    void release() {
        log.close();
    }

    private static DelegationEvent.Builder issued() {
        return DelegationEvent.builder(DelegationEvent.Type.ISSUED, "https://issuer.example.com/", "auth0|42", EntryPoint.FILTER)
                .time(Instant.parse("2026-12-06T16:00:00Z"))
                .requestId("req-1")
                .sessionId("sid-1")
                .connection("google-oauth2")
                .ruleId("social-buyers")
                .reason("connection type is social")
                .roleArn("arn:aws:iam::123456789012:role/buyer")
                .region("eu-west-1")
                .roleSessionName("auth0-42")
                .sourceIdentity("alice@example.com")
                .assumedRoleArn("arn:aws:sts::123456789012:assumed-role/buyer/auth0-42")
                .assumedRoleId("AROAEXAMPLE:auth0-42")
                .expiration(null)
                .stsRequestId("c6104cbe-af31-11e0-8154-cbc7ccf896c7");
    }

    @Test
    @DisplayName("an issue is one INFO line of JSON with every field set, in the documented names")
    void issued_oneJsonLine() {
        trail.onEvent(issued().build());

        assertThat(log.lines()).singleElement().asString().contains(" INFO " + AuditTrail.LOGGER + " - {\"schema\":");
        Map<String, Object> record = log.records().get(0);
        assertThat(record).containsEntry("schema", AuditTrail.SCHEMA)
                .containsEntry("time", "2026-12-06T16:00:00Z")
                .containsEntry("type", "ISSUED")
                .containsEntry("outcome", "success")
                .containsEntry("requestId", "req-1")
                .containsEntry("entryPoint", "FILTER")
                .containsEntry("issuer", "https://issuer.example.com/")
                .containsEntry("subject", "auth0|42")
                .containsEntry("sessionId", "sid-1")
                .containsEntry("connection", "google-oauth2")
                .containsEntry("ruleId", "social-buyers")
                .containsEntry("reason", "connection type is social")
                .containsEntry("roleArn", "arn:aws:iam::123456789012:role/buyer")
                .containsEntry("region", "eu-west-1")
                .containsEntry("roleSessionName", "auth0-42")
                .containsEntry("sourceIdentity", "alice@example.com")
                .containsEntry("assumedRoleArn", "arn:aws:sts::123456789012:assumed-role/buyer/auth0-42")
                .containsEntry("assumedRoleId", "AROAEXAMPLE:auth0-42")
                .containsEntry("stsRequestId", "c6104cbe-af31-11e0-8154-cbc7ccf896c7")
                .doesNotContainKeys("expiration", "errorCode", "retryAfterSeconds", "limit", "evictionCause", "requestedRole");
    }

    @Test
    @DisplayName("denials, failures and throttled requests are WARN lines; retry-after in seconds, the budget named")
    void refusals_warn() {
        trail.onEvent(DelegationEvent.builder(DelegationEvent.Type.DENIED, "https://i/", "s", EntryPoint.ROLE_LISTING)
                .reason("no role rule matches this user").build());
        trail.onEvent(DelegationEvent.builder(DelegationEvent.Type.THROTTLED, "https://i/", "s", EntryPoint.FILTER)
                .limit("user").retryAfter(Duration.ofSeconds(7)).build());
        trail.onEvent(DelegationEvent.evicted("https://i/", "s", "sid-9", DelegationEvent.EvictionCause.BACK_CHANNEL_LOGOUT,
                EntryPoint.BACK_CHANNEL_LOGOUT));

        List<String> lines = log.lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).contains(" WARN ");
        assertThat(lines.get(1)).contains(" WARN ");
        assertThat(lines.get(2)).contains(" INFO ");
        assertThat(log.records().get(0)).containsEntry("outcome", "denied").containsEntry("entryPoint", "ROLE_LISTING");
        assertThat(log.records().get(1)).containsEntry("outcome", "failure").containsEntry("limit", "user")
                .containsEntry("retryAfterSeconds", 7L);
        assertThat(log.records().get(2)).containsEntry("type", "EVICTED").containsEntry("evictionCause", "BACK_CHANNEL_LOGOUT")
                .containsEntry("sessionId", "sid-9");
    }

    @Test
    @DisplayName("a subject or reason with line breaks, quotes and control characters cannot end the record or forge another")
    void controlCharacters_neutralised() {
        String forged = "x\"}\n12 [main] INFO " + AuditTrail.LOGGER + " - {\"type\":\"ISSUED\",\"subject\":\"admin\"}";
        trail.onEvent(DelegationEvent.builder(DelegationEvent.Type.DENIED, "https://i/", forged, EntryPoint.FILTER)
                .reason("bad\r\nrole\u0000\u2028").requestedRole("role\u001b[31m").build());

        assertThat(log.lines()).hasSize(1);
        Map<String, Object> record = log.records().get(0);
        assertThat((String) record.get("subject")).doesNotContain("\n").contains("\\n").startsWith("x\"}");
        assertThat((String) record.get("reason")).isEqualTo("bad\\r\\nrole\\u0000\\u2028");
        assertThat((String) record.get("requestedRole")).isEqualTo("role\\u001b[31m");
    }

    private static DelegationEvent.Builder decided(String minute) {
        return DelegationEvent.builder(DelegationEvent.Type.DECIDED, "https://issuer.example.com/", "auth0|42", EntryPoint.FILTER)
                .time(Instant.parse("2026-12-06T16:" + minute + ":00Z"))
                .sessionId("sid-1")
                .ruleId("social-buyers")
                .roleArn("arn:aws:iam::123456789012:role/buyer");
    }

    private List<Object> types() {
        return log.records().stream().map(r -> r.get("type")).toList();
    }

    @Test
    @DisplayName("a decision that repeats the last one for the same user, session and entry point is written once per 15 minutes")
    void repeatedDecision_writtenOncePerWindow() {
        trail.onEvent(decided("00").build());
        trail.onEvent(issued().build());
        trail.onEvent(decided("01").build());
        trail.onEvent(decided("14").build());

        assertThat(types()).containsExactly("DECIDED", "ISSUED");

        trail.onEvent(decided("15").build());

        assertThat(types()).containsExactly("DECIDED", "ISSUED", "DECIDED");
    }

    @Test
    @DisplayName("another rule, role, requested role, session or entry point is a new decision, written at once")
    void changedDecision_writtenAtOnce() {
        trail.onEvent(decided("00").build());
        trail.onEvent(decided("01").ruleId("admins").build());
        trail.onEvent(decided("02").ruleId("admins").roleArn("arn:aws:iam::123456789012:role/admin").build());
        trail.onEvent(decided("03").ruleId("admins").roleArn("arn:aws:iam::123456789012:role/admin").requestedRole("admin").build());
        trail.onEvent(decided("04").ruleId("admins").roleArn("arn:aws:iam::123456789012:role/admin").requestedRole("admin")
                .sessionId("sid-2").build());
        trail.onEvent(DelegationEvent.builder(DelegationEvent.Type.DECIDED, "https://issuer.example.com/", "auth0|42",
                EntryPoint.ROLE_LISTING).time(Instant.parse("2026-12-06T16:05:00Z")).sessionId("sid-2").ruleId("admins")
                .roleArn("arn:aws:iam::123456789012:role/admin").requestedRole("admin").build());

        assertThat(log.records()).hasSize(6);
    }

    @Test
    @DisplayName("after a denial or an eviction of the same user, session and entry point, the same decision is written again")
    void denialOrEviction_makesTheDecisionNew() {
        trail.onEvent(decided("00").build());
        trail.onEvent(DelegationEvent.builder(DelegationEvent.Type.DENIED, "https://issuer.example.com/", "auth0|42", EntryPoint.FILTER)
                .time(Instant.parse("2026-12-06T16:01:00Z")).sessionId("sid-1").requestedRole("admin").build());
        trail.onEvent(decided("02").build());
        trail.onEvent(DelegationEvent.builder(DelegationEvent.Type.EVICTED, "https://issuer.example.com/", "auth0|42", EntryPoint.FILTER)
                .time(Instant.parse("2026-12-06T16:03:00Z")).sessionId("sid-1").evictionCause(DelegationEvent.EvictionCause.LOGOUT)
                .build());
        trail.onEvent(decided("04").build());

        assertThat(types()).containsExactly("DECIDED", "DENIED", "DECIDED", "EVICTED", "DECIDED");
    }

    @Test
    @DisplayName("the trail is off when its logger is: nothing is encoded or written")
    void loggerOff() {
        org.slf4j.Logger off = new org.slf4j.helpers.NOPLogger() {
            private static final long serialVersionUID = 1L;
        };
        new AuditTrail(off).onEvent(issued().build());

        assertThat(log.lines()).isEmpty();
    }
}

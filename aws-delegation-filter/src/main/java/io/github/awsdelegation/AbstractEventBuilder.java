package io.github.awsdelegation;

import io.github.awsdelegation.plan.SessionPlan;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The setters of {@link DelegationEvent.Builder}, kept apart from the event they build (as the JDK's
 * {@code AbstractStringBuilder} is from {@code StringBuilder}): one per field, and the ones that take several fields from
 * a stage's result (identity, decision, plan, credentials, error).
 */
abstract class AbstractEventBuilder {

    private DelegationEvent.Type type;
    private Instant time;
    private String requestId;
    private EntryPoint entryPoint;
    private String issuer;
    private String subject;
    private String sessionId;
    private String connection;
    private String ruleId;
    private String reason;
    private String requestedRole;
    private String roleArn;
    private String region;
    private String roleSessionName;
    private String sourceIdentity;
    private String assumedRoleArn;
    private String assumedRoleId;
    private Instant expiration;
    private String stsRequestId;
    private String errorCode;
    private Duration retryAfter;
    private String limit;
    private DelegationEvent.EvictionCause evictionCause;

    AbstractEventBuilder(DelegationEvent.Type type, String issuer, String subject, EntryPoint entryPoint) {
        this.type = type;
        this.issuer = issuer;
        this.subject = subject;
        this.entryPoint = entryPoint;
    }

    AbstractEventBuilder(EventFields f) {
        type = f.type();
        time = f.time();
        requestId = f.requestId();
        entryPoint = f.entryPoint();
        issuer = f.issuer();
        subject = f.subject();
        sessionId = f.sessionId();
        connection = f.connection();
        ruleId = f.ruleId();
        reason = f.reason();
        requestedRole = f.requestedRole();
        roleArn = f.roleArn();
        region = f.region();
        roleSessionName = f.roleSessionName();
        sourceIdentity = f.sourceIdentity();
        assumedRoleArn = f.assumedRoleArn();
        assumedRoleId = f.assumedRoleId();
        expiration = f.expiration();
        stsRequestId = f.stsRequestId();
        errorCode = f.errorCode();
        retryAfter = f.retryAfter();
        limit = f.limit();
        evictionCause = f.evictionCause();
    }

    private DelegationEvent.Builder self() {
        return (DelegationEvent.Builder) this;
    }

    /** The values set so far, checked. */
    EventFields fields() {
        return new EventFields(type, time, requestId, entryPoint, issuer, subject, sessionId, connection, ruleId, reason,
                requestedRole, roleArn, region, roleSessionName, sourceIdentity, assumedRoleArn, assumedRoleId, expiration,
                stsRequestId, errorCode, retryAfter, limit, evictionCause);
    }

    /** Sets the user's OIDC session ({@code sid} claim) and connection name from a verified identity. */
    public DelegationEvent.Builder identity(VerifiedIdentity identity) {
        this.sessionId = identity.claimAsString("sid").orElse(null);
        this.connection = identity.connectionName().isEmpty() ? null : identity.connectionName();
        return self();
    }

    /** Sets the rule, the reason and the granted role from a role decision. */
    public DelegationEvent.Builder decision(RoleDecision decision) {
        this.ruleId = decision.ruleId();
        this.reason = decision.reason();
        this.roleArn = decision.role().roleArn();
        return self();
    }

    /** Sets the decision's fields and the planned session's: region, role session name, source identity. */
    public DelegationEvent.Builder plan(SessionPlan plan) {
        decision(plan.decision());
        this.region = plan.region().id();
        this.roleSessionName = plan.sessionName();
        this.sourceIdentity = plan.scope().sourceIdentity();
        return self();
    }

    /** Sets what STS answered: assumed role, expiration, source identity, STS request id. */
    public DelegationEvent.Builder credentials(IssuedCredentials credentials) {
        this.roleArn = credentials.roleArn();
        this.assumedRoleArn = credentials.assumedRoleArn();
        this.assumedRoleId = credentials.assumedRoleId();
        this.expiration = credentials.expiration();
        this.stsRequestId = credentials.stsRequestId();
        if (credentials.sourceIdentity() != null) {
            this.sourceIdentity = credentials.sourceIdentity();
        }
        return self();
    }

    /**
     * Sets what an error says: STS's error code and request id when STS answered it (an
     * {@link AwsServiceException} among its causes), and the {@code Retry-After} of a 503.
     */
    public DelegationEvent.Builder error(Throwable error) {
        if (error instanceof TemporarilyUnavailableException unavailable) {
            this.retryAfter = unavailable.retryAfter();
        }
        Throwable t = error;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof AwsServiceException sts) {
                this.stsRequestId = sts.requestId();
                this.errorCode = sts.awsErrorDetails() == null ? null : sts.awsErrorDetails().errorCode();
                break;
            }
        }
        return self();
    }

    /** Sets when it happened. */
    public DelegationEvent.Builder time(Instant time) {
        this.time = time;
        return self();
    }

    /** Sets the id of the HTTP request it happened in. */
    public DelegationEvent.Builder requestId(String requestId) {
        this.requestId = requestId;
        return self();
    }

    /** Sets the OIDC session ({@code sid}). */
    public DelegationEvent.Builder sessionId(String sessionId) {
        this.sessionId = sessionId;
        return self();
    }

    /** Sets the connection name. */
    public DelegationEvent.Builder connection(String connection) {
        this.connection = connection;
        return self();
    }

    /** Sets the deciding rule. */
    public DelegationEvent.Builder ruleId(String ruleId) {
        this.ruleId = ruleId;
        return self();
    }

    /** Sets why. */
    public DelegationEvent.Builder reason(String reason) {
        this.reason = reason;
        return self();
    }

    /** Sets the role the client asked for. */
    public DelegationEvent.Builder requestedRole(String requestedRole) {
        this.requestedRole = requestedRole;
        return self();
    }

    /** Sets the granted (or refused) role's ARN. */
    public DelegationEvent.Builder roleArn(String roleArn) {
        this.roleArn = roleArn;
        return self();
    }

    /** Sets the region of the STS endpoint. */
    public DelegationEvent.Builder region(String region) {
        this.region = region;
        return self();
    }

    /** Sets the role session name. */
    public DelegationEvent.Builder roleSessionName(String roleSessionName) {
        this.roleSessionName = roleSessionName;
        return self();
    }

    /** Sets the source identity. */
    public DelegationEvent.Builder sourceIdentity(String sourceIdentity) {
        this.sourceIdentity = sourceIdentity;
        return self();
    }

    /** Sets the assumed-role ARN STS returned. */
    public DelegationEvent.Builder assumedRoleArn(String assumedRoleArn) {
        this.assumedRoleArn = assumedRoleArn;
        return self();
    }

    /** Sets the assumed-role id STS returned. */
    public DelegationEvent.Builder assumedRoleId(String assumedRoleId) {
        this.assumedRoleId = assumedRoleId;
        return self();
    }

    /** Sets when the credentials expire. */
    public DelegationEvent.Builder expiration(Instant expiration) {
        this.expiration = expiration;
        return self();
    }

    /** Sets the request id STS answered. */
    public DelegationEvent.Builder stsRequestId(String stsRequestId) {
        this.stsRequestId = stsRequestId;
        return self();
    }

    /** Sets the error code STS answered. */
    public DelegationEvent.Builder errorCode(String errorCode) {
        this.errorCode = errorCode;
        return self();
    }

    /** Sets how long the client is asked to wait. */
    public DelegationEvent.Builder retryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
        return self();
    }

    /** Sets the budget of STS calls that is spent. */
    public DelegationEvent.Builder limit(String limit) {
        this.limit = limit;
        return self();
    }

    /** Sets why cached credentials were dropped. */
    public DelegationEvent.Builder evictionCause(DelegationEvent.EvictionCause evictionCause) {
        this.evictionCause = evictionCause;
        return self();
    }
}

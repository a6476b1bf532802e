package io.github.awsdelegation;

import io.github.awsdelegation.plan.SessionPlan;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * What happened to one user's AWS access: a role decided, credentials issued or refreshed ahead of expiry, a request
 * denied, failed or throttled, cached credentials evicted. A {@link DelegationListener} receives it; the CDI module
 * fires it as a CDI event; the audit trail writes one JSON record per event.
 *
 * <p>It names the request, the user (issuer, subject, OIDC session, connection), the rule and why it applied, the
 * role asked for and the role granted, and for credentials STS issued what CloudTrail records of the call: the
 * assumed-role id, the role session name, the source identity and the STS request id (the {@code requestID} of the
 * {@code AssumeRole*} event). It never holds a token, an assertion, a secret access key or a session token: it is
 * safe to log and to keep.
 *
 * <p>Every accessor but {@link #type()}, {@link #time()}, {@link #issuer()}, {@link #subject()},
 * {@link #entryPoint()} and {@link #outcome()} may return {@code null}: a field is set where it is known.
 */
public final class DelegationEvent {

    /** What happened. */
    public enum Type {
        /** The rules granted a role to a request (every request that passes the role stage, cached or not). */
        DECIDED,
        /** STS issued credentials for a request (the user's first, or after the cached ones expired). */
        ISSUED,
        /** STS issued replacement credentials in the background, ahead of the cached ones' expiry. */
        REFRESHED,
        /** A request was refused a role (403): no rule matches, the requested role is not permitted, the
         *  session policy does not fit STS's limits, or STS refused the role. */
        DENIED,
        /** STS did not issue credentials for another reason: it could not be reached, timed out, throttled or
         *  failed (503), or rejected the user's token (401); for a request or for a background refresh. */
        FAILED,
        /** A user's cached credentials were dropped: logout, end of the HTTP session, back-channel logout, or an
         *  operator ({@link #evictionCause()}). */
        EVICTED,
        /** A request was refused before STS was called because a budget of STS calls is spent (429 or 503 with
         *  {@code Retry-After}); {@link #limit()} names the budget. */
        THROTTLED;

        /** Returns the outcome events of this type have. */
        public Outcome outcome() {
            return switch (this) {
                case DECIDED, ISSUED, REFRESHED, EVICTED -> Outcome.SUCCESS;
                case DENIED -> Outcome.DENIED;
                case FAILED, THROTTLED -> Outcome.FAILURE;
            };
        }
    }

    /** Whether the user got what was asked for; the tag metrics count by. */
    public enum Outcome {
        /** Granted, issued, refreshed, or evicted as asked. */
        SUCCESS,
        /** Refused (403). */
        DENIED,
        /** Not served for a reason that may pass: STS unavailable, a token STS rejected, a budget spent. */
        FAILURE;

        /** Returns the lower-case name, as in audit records and metric tags. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why cached credentials were dropped ({@link Type#EVICTED}). */
    public enum EvictionCause {
        /** The user signed out at the filter's logout path. */
        LOGOUT,
        /** The user's HTTP session ended (timeout, invalidation, another user signing in in the same browser). */
        SESSION_END,
        /** The identity provider sent an OpenID Connect Back-Channel Logout token. */
        BACK_CHANNEL_LOGOUT,
        /** An operator evicted the subject (the admin operation). */
        ADMIN
    }

    private final Type type;
    private final Instant time;
    private final String requestId;
    private final EntryPoint entryPoint;
    private final String issuer;
    private final String subject;
    private final String sessionId;
    private final String connection;
    private final String ruleId;
    private final String reason;
    private final String requestedRole;
    private final String roleArn;
    private final String region;
    private final String roleSessionName;
    private final String sourceIdentity;
    private final String assumedRoleArn;
    private final String assumedRoleId;
    private final Instant expiration;
    private final String stsRequestId;
    private final String errorCode;
    private final Duration retryAfter;
    private final String limit;
    private final EvictionCause evictionCause;

    private DelegationEvent(Builder b) {
        this.type = Objects.requireNonNull(b.type, "type");
        this.time = b.time;
        this.requestId = b.requestId;
        this.entryPoint = Objects.requireNonNull(b.entryPoint, "entryPoint");
        this.issuer = Objects.requireNonNull(b.issuer, "issuer");
        this.subject = Objects.requireNonNull(b.subject, "subject");
        this.sessionId = b.sessionId;
        this.connection = b.connection;
        this.ruleId = b.ruleId;
        this.reason = b.reason;
        this.requestedRole = b.requestedRole;
        this.roleArn = b.roleArn;
        this.region = b.region;
        this.roleSessionName = b.roleSessionName;
        this.sourceIdentity = b.sourceIdentity;
        this.assumedRoleArn = b.assumedRoleArn;
        this.assumedRoleId = b.assumedRoleId;
        this.expiration = b.expiration;
        this.stsRequestId = b.stsRequestId;
        this.errorCode = b.errorCode;
        this.retryAfter = b.retryAfter;
        this.limit = b.limit;
        this.evictionCause = b.evictionCause;
        if (type == Type.EVICTED) {
            Objects.requireNonNull(evictionCause, "evictionCause");
        }
    }

    /** Returns a builder of an event of the given type about a user. */
    public static Builder builder(Type type, String issuer, String subject, EntryPoint entryPoint) {
        return new Builder(type, issuer, subject, entryPoint);
    }

    /** Returns a builder with this event's fields, to change some. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Creates the event of the rules granting a role to a request. */
    public static DelegationEvent decided(VerifiedIdentity identity, RoleDecision decision, String requestedRole,
            EntryPoint entryPoint) {
        return of(Type.DECIDED, identity, entryPoint).decision(decision).requestedRole(requestedRole).build();
    }

    /** Creates the event of credentials STS issued (or refreshed) for a session plan. */
    public static DelegationEvent issued(SessionPlan plan, IssuedCredentials credentials, boolean refresh) {
        return of(refresh ? Type.REFRESHED : Type.ISSUED, plan.identity(), plan.entryPoint())
                .plan(plan)
                .credentials(credentials)
                .build();
    }

    /**
     * Creates the event of credentials STS issued (or refreshed) for a decision, without the plan's session name and
     * region.
     */
    public static DelegationEvent issued(VerifiedIdentity identity, RoleDecision decision, IssuedCredentials credentials,
            boolean refresh, EntryPoint entryPoint) {
        return of(refresh ? Type.REFRESHED : Type.ISSUED, identity, entryPoint)
                .decision(decision)
                .credentials(credentials)
                .build();
    }

    /**
     * Creates the event of a refusal.
     *
     * @param ruleId        the rule that decided, or {@code null} when none matched
     * @param roleArn       the role refused, or {@code null} when none was decided
     * @param requestedRole the role the client asked for, or {@code null}
     * @param reason        the message of the error the user got
     */
    public static DelegationEvent denied(VerifiedIdentity identity, String ruleId, String roleArn, String requestedRole,
            String reason, EntryPoint entryPoint) {
        return of(Type.DENIED, identity, entryPoint).ruleId(ruleId).roleArn(roleArn).requestedRole(requestedRole)
                .reason(reason).build();
    }

    /**
     * Creates the event of a refusal after the session was planned (STS refused the role, or the user's values do not
     * fit the role's scope): the reason is the message of the error the user got, and STS's error code and request id
     * are taken from the error.
     */
    public static DelegationEvent denied(SessionPlan plan, Throwable error) {
        return of(Type.DENIED, plan.identity(), plan.entryPoint()).plan(plan).reason(error.getMessage()).error(error)
                .build();
    }

    /** Creates the event of STS failing to issue credentials for a decision. */
    public static DelegationEvent failed(VerifiedIdentity identity, RoleDecision decision, String reason,
            EntryPoint entryPoint) {
        return of(Type.FAILED, identity, entryPoint).decision(decision).reason(reason).build();
    }

    /**
     * Creates the event of STS failing to issue the credentials of a session plan: the reason is the message of the
     * error the user got, and STS's error code, request id and the {@code Retry-After} are taken from the error.
     */
    public static DelegationEvent failed(SessionPlan plan, String reason, Throwable error) {
        return of(Type.FAILED, plan.identity(), plan.entryPoint()).plan(plan).reason(reason).error(error).build();
    }

    /**
     * Creates the event of a budget of STS calls refusing a request before STS was called.
     *
     * @param plan       the session the request would have obtained
     * @param limit      the budget that is spent, e.g. {@code user} or {@code account-region:123456789012/eu-west-1}
     * @param retryAfter when the client may try again
     * @param reason     the message of the error the user got
     */
    public static DelegationEvent throttled(SessionPlan plan, String limit, Duration retryAfter, String reason) {
        return of(Type.THROTTLED, plan.identity(), plan.entryPoint()).plan(plan).limit(limit).retryAfter(retryAfter)
                .reason(reason).build();
    }

    /**
     * Creates the event of a user's cached credentials being dropped.
     *
     * @param issuer     the user's issuer
     * @param subject    the user's subject
     * @param sessionId  the OIDC session ({@code sid}) that ended, or {@code null}
     * @param cause      why
     * @param entryPoint where the eviction came from
     */
    public static DelegationEvent evicted(String issuer, String subject, String sessionId, EvictionCause cause,
            EntryPoint entryPoint) {
        return builder(Type.EVICTED, issuer, subject, entryPoint).sessionId(sessionId).evictionCause(cause).build();
    }

    private static Builder of(Type type, VerifiedIdentity identity, EntryPoint entryPoint) {
        return builder(type, identity.issuer(), identity.subject(), entryPoint).identity(identity);
    }

    /** Returns what happened. */
    public Type type() {
        return type;
    }

    /** Returns whether the user got what was asked for ({@link Type#outcome()}). */
    public Outcome outcome() {
        return type.outcome();
    }

    /**
     * Returns when it happened, on the service's clock. Set when the event is reported: {@code null} only on an event
     * built but not yet reported.
     */
    public Instant time() {
        return time;
    }

    /**
     * Returns the id of the HTTP request it happened in: the configured request id header's value when the client sent
     * a safe one, else one generated for the request; for a background refresh, the request that started it. It is
     * {@code null} outside any request (e.g. an eviction when a session times out).
     */
    public String requestId() {
        return requestId;
    }

    /**
     * Returns where the request entered the pipeline (for a refresh, the entry point of the request that first
     * obtained the credentials; for an eviction, where it came from).
     */
    public EntryPoint entryPoint() {
        return entryPoint;
    }

    /** Returns the user's issuer ({@code iss}). */
    public String issuer() {
        return issuer;
    }

    /** Returns the user's subject ({@code sub}). */
    public String subject() {
        return subject;
    }

    /** Returns the user's OIDC session at the identity provider (the ID token's {@code sid}), or {@code null}. */
    public String sessionId() {
        return sessionId;
    }

    /** Returns the connection the user signed in through (e.g. {@code google-oauth2}), or {@code null}. */
    public String connection() {
        return connection;
    }

    /** Returns the rule that decided, or {@code null} when no rule matched the user. */
    public String ruleId() {
        return ruleId;
    }

    /**
     * Returns why: for decided, issued and refreshed credentials why the rule applied (e.g. {@code connection type is
     * social}); for denied, failed and throttled requests the message of the error the user got.
     */
    public String reason() {
        return reason;
    }

    /** Returns the role the client asked for (a name or an ARN), or {@code null} when it asked for the default. */
    public String requestedRole() {
        return requestedRole;
    }

    /** Returns the ARN of the role granted (or refused by STS), or {@code null} when no role was decided. */
    public String roleArn() {
        return roleArn;
    }

    /** Returns the region whose STS endpoint issues the credentials (where CloudTrail records the call), or {@code null}. */
    public String region() {
        return region;
    }

    /** Returns the role session name asked of STS, or {@code null} before a session was planned. */
    public String roleSessionName() {
        return roleSessionName;
    }

    /**
     * Returns the source identity of the session: the one STS answered for issued credentials, else the one planned;
     * {@code null} when the role sets none.
     */
    public String sourceIdentity() {
        return sourceIdentity;
    }

    /** Returns the assumed-role ARN STS returned, for issued and refreshed credentials. */
    public String assumedRoleArn() {
        return assumedRoleArn;
    }

    /**
     * Returns the assumed-role id STS returned ({@code AROA...:session}, as {@code aws:userid} in IAM policies), for
     * issued and refreshed credentials; otherwise {@code null}.
     */
    public String assumedRoleId() {
        return assumedRoleId;
    }

    /** Returns when issued or refreshed credentials expire; otherwise {@code null}. */
    public Instant expiration() {
        return expiration;
    }

    /**
     * Returns the request id STS answered ({@code x-amzn-RequestId}; the {@code requestID} of the {@code AssumeRole*}
     * event in CloudTrail), for issued and refreshed credentials and for calls STS refused or failed; otherwise
     * {@code null}.
     */
    public String stsRequestId() {
        return stsRequestId;
    }

    /** Returns the error code STS answered (e.g. {@code AccessDenied}, {@code Throttling}) for a refusal or failure by STS. */
    public String errorCode() {
        return errorCode;
    }

    /** Returns how long the client is asked to wait, for a request answered 503 or 429; otherwise {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Returns the budget of STS calls that is spent, for {@link Type#THROTTLED}; otherwise {@code null}. */
    public String limit() {
        return limit;
    }

    /** Returns why cached credentials were dropped, for {@link Type#EVICTED}; otherwise {@code null}. */
    public EvictionCause evictionCause() {
        return evictionCause;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DelegationEvent e && type == e.type && Objects.equals(time, e.time)
                && Objects.equals(requestId, e.requestId) && entryPoint == e.entryPoint && issuer.equals(e.issuer)
                && subject.equals(e.subject) && Objects.equals(sessionId, e.sessionId)
                && Objects.equals(connection, e.connection) && Objects.equals(ruleId, e.ruleId)
                && Objects.equals(reason, e.reason) && Objects.equals(requestedRole, e.requestedRole)
                && Objects.equals(roleArn, e.roleArn) && Objects.equals(region, e.region)
                && Objects.equals(roleSessionName, e.roleSessionName) && Objects.equals(sourceIdentity, e.sourceIdentity)
                && Objects.equals(assumedRoleArn, e.assumedRoleArn) && Objects.equals(assumedRoleId, e.assumedRoleId)
                && Objects.equals(expiration, e.expiration) && Objects.equals(stsRequestId, e.stsRequestId)
                && Objects.equals(errorCode, e.errorCode) && Objects.equals(retryAfter, e.retryAfter)
                && Objects.equals(limit, e.limit) && evictionCause == e.evictionCause;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, time, requestId, issuer, subject, roleArn, stsRequestId);
    }

    // Every field is safe to show: the event never holds a token or a secret.
    @Override
    public String toString() {
        return "DelegationEvent[type=" + type + ", issuer=" + issuer + ", subject=" + subject + ", ruleId=" + ruleId
                + ", roleArn=" + roleArn + ", requestedRole=" + requestedRole + ", assumedRoleId=" + assumedRoleId
                + ", expiration=" + expiration + ", reason=" + reason + ", entryPoint=" + entryPoint
                + ", time=" + time + ", requestId=" + requestId + ", sessionId=" + sessionId + ", connection=" + connection
                + ", region=" + region + ", roleSessionName=" + roleSessionName + ", sourceIdentity=" + sourceIdentity
                + ", stsRequestId=" + stsRequestId + ", errorCode=" + errorCode + ", retryAfter=" + retryAfter
                + ", limit=" + limit + ", evictionCause=" + evictionCause + "]";
    }

    /**
     * Builds an event; the pipeline's stages report theirs through the factory methods ({@link #issued},
     * {@link #denied}, ...), and a part that reports its own (a budget, a logout endpoint) may build one here.
     */
    public static final class Builder {

        private Type type;
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
        private EvictionCause evictionCause;

        private Builder(Type type, String issuer, String subject, EntryPoint entryPoint) {
            this.type = type;
            this.issuer = issuer;
            this.subject = subject;
            this.entryPoint = entryPoint;
        }

        private Builder(DelegationEvent e) {
            type = e.type;
            time = e.time;
            requestId = e.requestId;
            entryPoint = e.entryPoint;
            issuer = e.issuer;
            subject = e.subject;
            sessionId = e.sessionId;
            connection = e.connection;
            ruleId = e.ruleId;
            reason = e.reason;
            requestedRole = e.requestedRole;
            roleArn = e.roleArn;
            region = e.region;
            roleSessionName = e.roleSessionName;
            sourceIdentity = e.sourceIdentity;
            assumedRoleArn = e.assumedRoleArn;
            assumedRoleId = e.assumedRoleId;
            expiration = e.expiration;
            stsRequestId = e.stsRequestId;
            errorCode = e.errorCode;
            retryAfter = e.retryAfter;
            limit = e.limit;
            evictionCause = e.evictionCause;
        }

        /** Sets the user's OIDC session ({@code sid} claim) and connection name from a verified identity. */
        public Builder identity(VerifiedIdentity identity) {
            this.sessionId = identity.claimAsString("sid").orElse(null);
            this.connection = identity.connectionName().isEmpty() ? null : identity.connectionName();
            return this;
        }

        /** Sets the rule, the reason and the granted role from a role decision. */
        public Builder decision(RoleDecision decision) {
            this.ruleId = decision.ruleId();
            this.reason = decision.reason();
            this.roleArn = decision.role().roleArn();
            return this;
        }

        /** Sets the decision's fields and the planned session's: region, role session name, source identity. */
        public Builder plan(SessionPlan plan) {
            decision(plan.decision());
            this.region = plan.region().id();
            this.roleSessionName = plan.sessionName();
            this.sourceIdentity = plan.scope().sourceIdentity();
            return this;
        }

        /** Sets what STS answered: assumed role, expiration, source identity, STS request id. */
        public Builder credentials(IssuedCredentials credentials) {
            this.roleArn = credentials.roleArn();
            this.assumedRoleArn = credentials.assumedRoleArn();
            this.assumedRoleId = credentials.assumedRoleId();
            this.expiration = credentials.expiration();
            this.stsRequestId = credentials.stsRequestId();
            if (credentials.sourceIdentity() != null) {
                this.sourceIdentity = credentials.sourceIdentity();
            }
            return this;
        }

        /**
         * Sets what an error says: STS's error code and request id when STS answered it (an
         * {@link AwsServiceException} among its causes), and the {@code Retry-After} of a 503.
         */
        public Builder error(Throwable error) {
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
            return this;
        }

        /** Sets when it happened. */
        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        /** Sets the id of the HTTP request it happened in. */
        public Builder requestId(String requestId) {
            this.requestId = requestId;
            return this;
        }

        /** Sets the OIDC session ({@code sid}). */
        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        /** Sets the connection name. */
        public Builder connection(String connection) {
            this.connection = connection;
            return this;
        }

        /** Sets the deciding rule. */
        public Builder ruleId(String ruleId) {
            this.ruleId = ruleId;
            return this;
        }

        /** Sets why. */
        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** Sets the role the client asked for. */
        public Builder requestedRole(String requestedRole) {
            this.requestedRole = requestedRole;
            return this;
        }

        /** Sets the granted (or refused) role's ARN. */
        public Builder roleArn(String roleArn) {
            this.roleArn = roleArn;
            return this;
        }

        /** Sets the region of the STS endpoint. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Sets the role session name. */
        public Builder roleSessionName(String roleSessionName) {
            this.roleSessionName = roleSessionName;
            return this;
        }

        /** Sets the source identity. */
        public Builder sourceIdentity(String sourceIdentity) {
            this.sourceIdentity = sourceIdentity;
            return this;
        }

        /** Sets the assumed-role ARN STS returned. */
        public Builder assumedRoleArn(String assumedRoleArn) {
            this.assumedRoleArn = assumedRoleArn;
            return this;
        }

        /** Sets the assumed-role id STS returned. */
        public Builder assumedRoleId(String assumedRoleId) {
            this.assumedRoleId = assumedRoleId;
            return this;
        }

        /** Sets when the credentials expire. */
        public Builder expiration(Instant expiration) {
            this.expiration = expiration;
            return this;
        }

        /** Sets the request id STS answered. */
        public Builder stsRequestId(String stsRequestId) {
            this.stsRequestId = stsRequestId;
            return this;
        }

        /** Sets the error code STS answered. */
        public Builder errorCode(String errorCode) {
            this.errorCode = errorCode;
            return this;
        }

        /** Sets how long the client is asked to wait. */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
            return this;
        }

        /** Sets the budget of STS calls that is spent. */
        public Builder limit(String limit) {
            this.limit = limit;
            return this;
        }

        /** Sets why cached credentials were dropped. */
        public Builder evictionCause(EvictionCause evictionCause) {
            this.evictionCause = evictionCause;
            return this;
        }

        /** Builds the event. */
        public DelegationEvent build() {
            return new DelegationEvent(this);
        }
    }
}

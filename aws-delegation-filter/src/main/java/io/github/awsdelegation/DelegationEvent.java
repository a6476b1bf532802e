package io.github.awsdelegation;

import io.github.awsdelegation.plan.SessionPlan;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

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

    private final EventFields f;

    private DelegationEvent(EventFields f) {
        this.f = f;
    }

    /** Returns a builder of an event of the given type about a user. */
    public static Builder builder(Type type, String issuer, String subject, EntryPoint entryPoint) {
        return new Builder(type, issuer, subject, entryPoint);
    }

    /** Returns a builder with this event's fields, to change some. */
    public Builder toBuilder() {
        return new Builder(f);
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
        return f.type();
    }

    /** Returns whether the user got what was asked for ({@link Type#outcome()}). */
    public Outcome outcome() {
        return f.type().outcome();
    }

    /**
     * Returns when it happened, on the service's clock. Set when the event is reported: {@code null} only on an event
     * built but not yet reported.
     */
    public Instant time() {
        return f.time();
    }

    /**
     * Returns the id of the HTTP request it happened in: the configured request id header's value when the client sent
     * a safe one, else one generated for the request; for a background refresh, the request that started it. It is
     * {@code null} outside any request (e.g. an eviction when a session times out).
     */
    public String requestId() {
        return f.requestId();
    }

    /**
     * Returns where the request entered the pipeline (for a refresh, the entry point of the request that first
     * obtained the credentials; for an eviction, where it came from).
     */
    public EntryPoint entryPoint() {
        return f.entryPoint();
    }

    /** Returns the user's issuer ({@code iss}). */
    public String issuer() {
        return f.issuer();
    }

    /** Returns the user's subject ({@code sub}). */
    public String subject() {
        return f.subject();
    }

    /** Returns the user's OIDC session at the identity provider (the ID token's {@code sid}), or {@code null}. */
    public String sessionId() {
        return f.sessionId();
    }

    /** Returns the connection the user signed in through (e.g. {@code google-oauth2}), or {@code null}. */
    public String connection() {
        return f.connection();
    }

    /** Returns the rule that decided, or {@code null} when no rule matched the user. */
    public String ruleId() {
        return f.ruleId();
    }

    /**
     * Returns why: for decided, issued and refreshed credentials why the rule applied (e.g. {@code connection type is
     * social}); for denied, failed and throttled requests the message of the error the user got.
     */
    public String reason() {
        return f.reason();
    }

    /** Returns the role the client asked for (a name or an ARN), or {@code null} when it asked for the default. */
    public String requestedRole() {
        return f.requestedRole();
    }

    /** Returns the ARN of the role granted (or refused by STS), or {@code null} when no role was decided. */
    public String roleArn() {
        return f.roleArn();
    }

    /** Returns the region whose STS endpoint issues the credentials (where CloudTrail records the call), or {@code null}. */
    public String region() {
        return f.region();
    }

    /** Returns the role session name asked of STS, or {@code null} before a session was planned. */
    public String roleSessionName() {
        return f.roleSessionName();
    }

    /**
     * Returns the source identity of the session: the one STS answered for issued credentials, else the one planned;
     * {@code null} when the role sets none.
     */
    public String sourceIdentity() {
        return f.sourceIdentity();
    }

    /** Returns the assumed-role ARN STS returned, for issued and refreshed credentials. */
    public String assumedRoleArn() {
        return f.assumedRoleArn();
    }

    /**
     * Returns the assumed-role id STS returned ({@code AROA...:session}, as {@code aws:userid} in IAM policies), for
     * issued and refreshed credentials; otherwise {@code null}.
     */
    public String assumedRoleId() {
        return f.assumedRoleId();
    }

    /** Returns when issued or refreshed credentials expire; otherwise {@code null}. */
    public Instant expiration() {
        return f.expiration();
    }

    /**
     * Returns the request id STS answered ({@code x-amzn-RequestId}; the {@code requestID} of the {@code AssumeRole*}
     * event in CloudTrail), for issued and refreshed credentials and for calls STS refused or failed; otherwise
     * {@code null}.
     */
    public String stsRequestId() {
        return f.stsRequestId();
    }

    /** Returns the error code STS answered (e.g. {@code AccessDenied}, {@code Throttling}) for a refusal or failure by STS. */
    public String errorCode() {
        return f.errorCode();
    }

    /** Returns how long the client is asked to wait, for a request answered 503 or 429; otherwise {@code null}. */
    public Duration retryAfter() {
        return f.retryAfter();
    }

    /** Returns the budget of STS calls that is spent, for {@link Type#THROTTLED}; otherwise {@code null}. */
    public String limit() {
        return f.limit();
    }

    /** Returns why cached credentials were dropped, for {@link Type#EVICTED}; otherwise {@code null}. */
    public EvictionCause evictionCause() {
        return f.evictionCause();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DelegationEvent e && f.equals(e.f);
    }

    @Override
    public int hashCode() {
        return Objects.hash(f.type(), f.time(), f.requestId(), f.issuer(), f.subject(), f.roleArn(), f.stsRequestId());
    }

    // Every field is safe to show: the event never holds a token or a secret.
    @Override
    public String toString() {
        return "DelegationEvent[type=" + f.type() + ", issuer=" + f.issuer() + ", subject=" + f.subject()
                + ", ruleId=" + f.ruleId() + ", roleArn=" + f.roleArn() + ", requestedRole=" + f.requestedRole()
                + ", assumedRoleId=" + f.assumedRoleId() + ", expiration=" + f.expiration() + ", reason=" + f.reason()
                + ", entryPoint=" + f.entryPoint() + ", time=" + f.time() + ", requestId=" + f.requestId()
                + ", sessionId=" + f.sessionId() + ", connection=" + f.connection() + ", region=" + f.region()
                + ", roleSessionName=" + f.roleSessionName() + ", sourceIdentity=" + f.sourceIdentity()
                + ", stsRequestId=" + f.stsRequestId() + ", errorCode=" + f.errorCode() + ", retryAfter=" + f.retryAfter()
                + ", limit=" + f.limit() + ", evictionCause=" + f.evictionCause() + "]";
    }

    /**
     * Builds an event; the pipeline's stages report theirs through the factory methods ({@link #issued},
     * {@link #denied}, ...), and a part that reports its own (a budget, a logout endpoint) may build one here.
     */
    public static final class Builder extends AbstractEventBuilder {

        private Builder(Type type, String issuer, String subject, EntryPoint entryPoint) {
            super(type, issuer, subject, entryPoint);
        }

        private Builder(EventFields fields) {
            super(fields);
        }

        /** Builds the event. */
        public DelegationEvent build() {
            return new DelegationEvent(fields());
        }
    }
}

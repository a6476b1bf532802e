package io.github.awsdelegation.plan;

import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.scope.SessionScope;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.regions.Region;

/**
 * Everything that shapes one user's session for one role, decided once by the {@link SessionPlanner} and read by
 * every later step: the role, its rendered scope, the duration, the role session name, the region whose STS endpoint
 * issues it, and the user's values that STS takes into the session besides the scope. Immutable.
 *
 * <p>Its {@link #key() cache key} is built from these fields alone, in a canonical encoding
 (a length-prefixed SHA-256 of every field): two requests share credentials exactly when STS would give them the same session.
 * The entry point is not part of it (a console sign-in and an API call of one user share credentials).
 */
public final class SessionPlan {

    private final VerifiedIdentity identity;
    private final RoleDecision decision;
    private final SessionScope scope;
    private final Duration duration;
    private final String sessionName;
    private final Region region;
    private final Map<String, Object> identityValues;
    private final EntryPoint entryPoint;
    private final SessionKey key;

    /**
     * Creates the plan; {@link SessionPlanner#plan} makes it for a request.
     *
     * @param identity       the verified user
     * @param decision       the role decision (the granted role, the rule and why)
     * @param scope          the rendered scope (session policy, managed policies, tags, source identity)
     * @param duration       how long the credentials should live
     * @param sessionName    the role session name, already valid for STS
     * @param region         the region whose STS endpoint issues the credentials
     * @param identityValues the user's values STS takes into the session besides the scope, by name: for a SAML role
     *                       the configured attributes' values, for a web-identity role the ID token's session-tag and
     *                       source-identity claims ({@link SessionPlanner#identityValues})
     * @param entryPoint     where the request entered the pipeline
     */
    public SessionPlan(VerifiedIdentity identity, RoleDecision decision, SessionScope scope, Duration duration,
            String sessionName, Region region, Map<String, Object> identityValues, EntryPoint entryPoint) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.decision = Objects.requireNonNull(decision, "decision");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.duration = Objects.requireNonNull(duration, "duration");
        this.sessionName = Objects.requireNonNull(sessionName, "sessionName");
        this.region = Objects.requireNonNull(region, "region");
        this.identityValues = Collections.unmodifiableMap(new LinkedHashMap<>(identityValues));
        this.entryPoint = Objects.requireNonNull(entryPoint, "entryPoint");
        this.key = key();
    }

    /** Returns the verified user. */
    public VerifiedIdentity identity() {
        return identity;
    }

    /** Returns the role decision. */
    public RoleDecision decision() {
        return decision;
    }

    /** Returns the granted role. */
    public RoleGrant role() {
        return decision.role();
    }

    /** Returns the rendered scope. */
    public SessionScope scope() {
        return scope;
    }

    /** Returns how long the credentials should live. */
    public Duration duration() {
        return duration;
    }

    /** Returns the role session name. */
    public String sessionName() {
        return sessionName;
    }

    /** Returns the region whose STS endpoint issues the credentials (and where the user's clients call AWS). */
    public Region region() {
        return region;
    }

    /** Returns the user's values STS takes into the session besides the scope, by name. */
    public Map<String, Object> identityValues() {
        return identityValues;
    }

    /** Returns where the request entered the pipeline. */
    public EntryPoint entryPoint() {
        return entryPoint;
    }

    /** Returns the cache key: the user, the role, and a fingerprint of everything else that shapes the session. */
    public SessionKey cacheKey() {
        return key;
    }

    private SessionKey key() {
        RoleGrant role = decision.role();
        SessionFingerprint f = SessionFingerprint.start()
                .add("principalArn", role.principalArn())
                .add("federation", role.federation().configName())
                .add("region", region.id())
                .add("sessionName", sessionName)
                .add("durationSeconds", duration.toSeconds())
                .add("sessionPolicy", scope.sessionPolicy())
                .addUnordered("policyArns", scope.policyArns())
                .addSorted("tags", scope.tags())
                .addUnordered("transitiveTagKeys", scope.transitiveTagKeys())
                .add("sourceIdentity", scope.sourceIdentity())
                .add("identityValues", identityValues);
        return new SessionKey(identity.issuer(), identity.subject(), role.roleArn(), f.hex());
    }

    // Names no secret: the ID token is never part of a plan.
    @Override
    public String toString() {
        return "SessionPlan[subject=" + identity.subject() + ", role=" + decision.role().roleArn() + ", rule="
                + decision.ruleId() + ", region=" + region + ", duration=" + duration + ", entryPoint=" + entryPoint + "]";
    }
}

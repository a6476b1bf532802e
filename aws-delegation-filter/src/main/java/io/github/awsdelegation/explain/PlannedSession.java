package io.github.awsdelegation.explain;

import io.github.awsdelegation.plan.SessionPlan;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session that would be asked of STS for a user: the planner's {@link SessionPlan}, in plain values.
 *
 * @param roleArn         the role
 * @param federation      the STS operation ({@code web-identity}, {@code saml}, {@code assume-role})
 * @param principalArn    the IAM identity provider the role trusts, or {@code null}
 * @param region          the region whose STS endpoint issues the credentials
 * @param duration        how long the credentials would live
 * @param roleSessionName the role session name (CloudTrail records it)
 * @param sessionPolicy   the rendered inline session policy, or {@code null}
 * @param managedPolicies the managed session policy ARNs
 * @param tags            the session tags
 * @param transitiveTagKeys the transitive tag keys
 * @param sourceIdentity  the source identity, or {@code null}
 * @param identityValues  the user's values STS takes into the session besides the scope (SAML attributes, or the ID
 *                        token's session-tag and source-identity claims)
 * @param size            the size against STS's limits
 */
public record PlannedSession(String roleArn, String federation, String principalArn, String region, Duration duration,
        String roleSessionName, String sessionPolicy, List<String> managedPolicies, Map<String, String> tags,
        List<String> transitiveTagKeys, String sourceIdentity, Map<String, Object> identityValues, PackedSize size) {

    public PlannedSession {
        managedPolicies = List.copyOf(managedPolicies);
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        transitiveTagKeys = List.copyOf(transitiveTagKeys);
        identityValues = Collections.unmodifiableMap(new LinkedHashMap<>(identityValues));
    }

    /** Returns the session of a plan. */
    public static PlannedSession of(SessionPlan plan) {
        return new PlannedSession(plan.role().roleArn(), plan.role().federation().configName(), plan.role().principalArn(),
                plan.region().id(), plan.duration(), plan.sessionName(), plan.scope().sessionPolicy(),
                plan.scope().policyArns(), plan.scope().tags(), plan.scope().transitiveTagKeys(),
                plan.scope().sourceIdentity(), plan.identityValues(), PackedSize.of(plan.scope()));
    }
}

package io.github.awsdelegation.scope;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scoping of one user's session, rendered and checked against STS's limits: what the issuers send to STS.
 *
 * @param sessionPolicy     the inline session policy (compact JSON), or {@code null}
 * @param policyArns        managed session policy ARNs ({@code PolicyArns})
 * @param tags              session tags, in order
 * @param transitiveTagKeys tag keys that carry over into chained role sessions
 * @param sourceIdentity    the source identity, or {@code null}
 */
public record SessionScope(String sessionPolicy, List<String> policyArns, Map<String, String> tags,
        List<String> transitiveTagKeys, String sourceIdentity) {

    private static final SessionScope NONE = new SessionScope(null, List.of(), Map.of(), List.of(), null);

    public SessionScope {
        policyArns = List.copyOf(policyArns);
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        transitiveTagKeys = List.copyOf(transitiveTagKeys);
    }

    /** Returns a scope with nothing in it. */
    public static SessionScope none() {
        return NONE;
    }

    /** Returns a scope with a session policy only (or nothing, for {@code null}). */
    public static SessionScope ofPolicy(String sessionPolicy) {
        return sessionPolicy == null ? NONE : new SessionScope(sessionPolicy, List.of(), Map.of(), List.of(), null);
    }
}

package io.github.awsdelegation.sts;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.scope.SessionScope;
import io.github.awsdelegation.sts.internal.Partition;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.regions.Region;

/**
 * Everything a {@link CredentialSource} needs to obtain one user's credentials for one role.
 *
 * @param identity      the verified user
 * @param idToken       the user's ID token, exactly as received (web identity sends it to STS); never
 *                      printed by {@link #toString()}
 * @param role          the granted role
 * @param sessionName   the role session name, already valid for STS
 * @param sessionPolicy the rendered session policy (compact JSON), or {@code null} for none
 * @param duration      how long the credentials should live
 * @param scope         the whole rendered scoping (the session policy again, managed policy ARNs, session tags,
 *                      transitive tag keys, source identity); {@code null} means the session policy alone
 * @param region        the region whose STS endpoint is called, as the session plan says; {@code null} lets the
 *                      source work it out the same way ({@link Partition#regionFor})
 */
public record CredentialRequest(VerifiedIdentity identity, String idToken, RoleGrant role, String sessionName,
        String sessionPolicy, Duration duration, SessionScope scope, Region region) {

    public CredentialRequest {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(sessionName, "sessionName");
        Objects.requireNonNull(duration, "duration");
        if (scope == null) {
            scope = SessionScope.ofPolicy(sessionPolicy);
        } else if (!Objects.equals(scope.sessionPolicy(), sessionPolicy)) {
            throw new IllegalArgumentException("sessionPolicy and scope.sessionPolicy() differ");
        }
    }

    /** Creates a request whose only scoping is the session policy. */
    public CredentialRequest(VerifiedIdentity identity, String idToken, RoleGrant role, String sessionName,
            String sessionPolicy, Duration duration) {
        this(identity, idToken, role, sessionName, sessionPolicy, duration, null, null);
    }

    /** Creates a request with a rendered scope (its session policy included). */
    public static CredentialRequest of(VerifiedIdentity identity, String idToken, RoleGrant role, String sessionName,
            SessionScope scope, Duration duration) {
        return new CredentialRequest(identity, idToken, role, sessionName, scope.sessionPolicy(), duration, scope, null);
    }

    /** Returns the same request for another duration (a retry within the role's maximum). */
    public CredentialRequest withDuration(Duration other) {
        return new CredentialRequest(identity, idToken, role, sessionName, sessionPolicy, other, scope, region);
    }

    @Override
    public String toString() {
        return "CredentialRequest[subject=" + identity.subject() + ", role=" + role.roleArn() + ", sessionName="
                + sessionName + ", sessionPolicy=" + (sessionPolicy == null ? "none" : sessionPolicy.length() + " chars")
                + ", policyArns=" + scope.policyArns().size() + ", tags=" + scope.tags().keySet()
                + ", duration=" + duration + ", region=" + region + ", idToken=" + (idToken == null ? "none" : "<redacted>") + "]";
    }
}

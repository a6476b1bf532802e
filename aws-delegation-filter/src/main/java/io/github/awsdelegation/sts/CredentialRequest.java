package io.github.awsdelegation.sts;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link CredentialIssuer} needs to obtain one user's credentials for one role.
 *
 * @param identity      the verified user
 * @param idToken       the user's ID token, exactly as received (web identity sends it to STS); never
 *                      printed by {@link #toString()}
 * @param role          the granted role
 * @param sessionName   the role session name, already valid for STS
 * @param sessionPolicy the rendered session policy (compact JSON), or {@code null} for none
 * @param duration      how long the credentials should live
 */
public record CredentialRequest(VerifiedIdentity identity, String idToken, RoleGrant role, String sessionName,
        String sessionPolicy, Duration duration) {

    public CredentialRequest {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(sessionName, "sessionName");
        Objects.requireNonNull(duration, "duration");
    }

    @Override
    public String toString() {
        return "CredentialRequest[subject=" + identity.subject() + ", role=" + role.roleArn() + ", sessionName="
                + sessionName + ", sessionPolicy=" + (sessionPolicy == null ? "none" : sessionPolicy.length() + " chars")
                + ", duration=" + duration + ", idToken=" + (idToken == null ? "none" : "<redacted>") + "]";
    }
}

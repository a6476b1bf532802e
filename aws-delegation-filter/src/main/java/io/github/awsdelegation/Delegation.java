package io.github.awsdelegation;

import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.Objects;

/**
 * The outcome of the pipeline for one request: who the user is, which role the rules granted and why,
 * and the credentials STS issued for it. The filter puts it in the request attribute
 * {@code io.github.awsdelegation.Delegation}.
 *
 * @param identity    the verified user
 * @param decision    the granted role and the rule that granted it
 * @param credentials the temporary credentials for that role
 */
public record Delegation(VerifiedIdentity identity, RoleDecision decision, IssuedCredentials credentials) {

    /** The request attribute under which the filter exposes the {@code Delegation}. */
    public static final String REQUEST_ATTRIBUTE = Delegation.class.getName();

    public Delegation {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(credentials, "credentials");
    }
}

package io.github.awsdelegation;

import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of the pipeline for one request: who the user is, which role the rules granted and why,
 * and the credentials STS issued for it. The filter puts it in the request attribute
 * {@code io.github.awsdelegation.Delegation}.
 *
 * @param identity    the verified user
 * @param decision    the granted role and the rule that granted it
 * @param credentials the temporary credentials for that role
 * @param sessionEndsAt when the user's sign-in session with the app ends unless another request comes (its idle
 *                    timeout or maximum age, whichever is earlier), or {@code null} when the request came without one
 *                    (a bearer token)
 */
public record Delegation(VerifiedIdentity identity, RoleDecision decision, IssuedCredentials credentials,
        Instant sessionEndsAt) {

    /** The request attribute under which the filter exposes the {@code Delegation}. */
    public static final String REQUEST_ATTRIBUTE = Delegation.class.getName();

    public Delegation {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(credentials, "credentials");
    }

    /** Creates a delegation that no sign-in session limits (a bearer token, or the app's own code). */
    public Delegation(VerifiedIdentity identity, RoleDecision decision, IssuedCredentials credentials) {
        this(identity, decision, credentials, null);
    }

    /**
     * Returns when what the app holds stops being good: the credentials' expiration, or the end of the user's sign-in
     * session when that comes first. A status display should count down to this, not to the credentials alone.
     */
    public Instant expiresAt() {
        Instant credentialsEnd = credentials.expiration();
        return sessionEndsAt != null && sessionEndsAt.isBefore(credentialsEnd) ? sessionEndsAt : credentialsEnd;
    }

    /** Returns this delegation limited by a sign-in session that ends at the given time. */
    public Delegation withSessionEnd(Instant endsAt) {
        return new Delegation(identity, decision, credentials, endsAt);
    }
}

package io.github.awsdelegation;

import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Instant;
import java.util.Objects;

/**
 * What happened to one user's AWS credentials: issued, refreshed ahead of expiry, denied or failed. A
 * {@link DelegationListener} receives it; the CDI module fires it as a CDI event.
 *
 * <p>It names the user, the rule, the role and the assumed-role id, the identity AWS records in CloudTrail,
 * so that an app can audit and count. It never holds a token, a secret access key or a session token: it is
 * safe to log and to keep.
 *
 * @param type          what happened
 * @param issuer        the user's issuer ({@code iss})
 * @param subject       the user's subject ({@code sub})
 * @param ruleId        the rule that decided, or {@code null} when no rule matched the user
 * @param roleArn       the ARN of the role granted (or refused by STS), or {@code null} when no role was
 *                      decided
 * @param requestedRole the role a client asked for (a name or an ARN) in a {@link Type#DENIED denied}
 *                      request, or {@code null}
 * @param assumedRoleId the assumed-role id STS returned ({@code AROA...:session}, as {@code aws:userid} in
 *                      IAM policies), for issued and refreshed credentials; otherwise {@code null}
 * @param expiration    when issued or refreshed credentials expire; otherwise {@code null}
 * @param reason        for issued and refreshed credentials, why the rule applied (e.g. {@code connection type
 *                      is social}); for denied and failed ones, the message of the error the user got
 * @param entryPoint    where the request entered the pipeline (for a refresh, the entry point of the request that
 *                      first obtained the credentials)
 */
public record DelegationEvent(Type type, String issuer, String subject, String ruleId, String roleArn,
        String requestedRole, String assumedRoleId, Instant expiration, String reason, EntryPoint entryPoint) {

    /** What happened. */
    public enum Type {
        /** STS issued credentials for a request (the user's first, or after the cached ones expired). */
        ISSUED,
        /** STS issued replacement credentials in the background, ahead of the cached ones' expiry. */
        REFRESHED,
        /** A request was refused a role (403): no rule matches, the requested role is not permitted, the
         *  session policy does not fit STS's limits, or STS refused the role. */
        DENIED,
        /** STS did not issue credentials for another reason: it could not be reached, timed out, throttled or
         *  failed (503), or rejected the user's token (401); for a request or for a background refresh. */
        FAILED
    }

    public DelegationEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(entryPoint, "entryPoint");
    }

    /** Creates the event of credentials STS issued (or refreshed) for a decision. */
    public static DelegationEvent issued(VerifiedIdentity identity, RoleDecision decision, IssuedCredentials credentials,
            boolean refresh, EntryPoint entryPoint) {
        return new DelegationEvent(refresh ? Type.REFRESHED : Type.ISSUED, identity.issuer(), identity.subject(),
                decision.ruleId(), credentials.roleArn(), null, credentials.assumedRoleId(), credentials.expiration(),
                decision.reason(), entryPoint);
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
        return new DelegationEvent(Type.DENIED, identity.issuer(), identity.subject(), ruleId, roleArn, requestedRole,
                null, null, reason, entryPoint);
    }

    /** Creates the event of STS failing to issue credentials for a decision. */
    public static DelegationEvent failed(VerifiedIdentity identity, RoleDecision decision, String reason,
            EntryPoint entryPoint) {
        return new DelegationEvent(Type.FAILED, identity.issuer(), identity.subject(), decision.ruleId(),
                decision.role().roleArn(), null, null, null, reason, entryPoint);
    }
}

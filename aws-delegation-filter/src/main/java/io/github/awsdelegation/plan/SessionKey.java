package io.github.awsdelegation.plan;

import java.util.Objects;

/**
 * Identifies one set of cached credentials: one user, one role, one session shaped exactly so. A
 * {@link io.github.awsdelegation.plan.SessionPlan} makes it from its own fields.
 *
 * @param issuer      the user's issuer ({@code iss})
 * @param subject     the user's subject ({@code sub})
 * @param roleArn     the role
 * @param sessionHash a SHA-256 of everything else that shapes the session, in a canonical encoding; the empty string
 *                    for nothing
 */
public record SessionKey(String issuer, String subject, String roleArn, String sessionHash) {

    public SessionKey {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(sessionHash, "sessionHash");
    }

    /** Returns the user part of the key, under which logout evicts all of a user's credentials. */
    public UserKey user() {
        return new UserKey(issuer, subject);
    }

    /**
     * Identifies a user across roles.
     *
     * @param issuer  the user's issuer ({@code iss})
     * @param subject the user's subject ({@code sub})
     */
    public record UserKey(String issuer, String subject) {
    }
}

package io.github.awsdelegation.role;

import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.Optional;

/**
 * A server-side rule that decides which IAM roles a user may have: the service provider interface for
 * rules written in code. Declarative rules from the configuration document implement it too.
 *
 * <p>Rules are evaluated in order and the first rule that matches decides. Implementations must be
 * thread-safe and fast: they run on every request whose credentials are not cached yet. They can be
 * registered in the configuration document ({@code - class: com.example.MyRule}) or through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.github.awsdelegation.role.RoleRule}).
 */
public interface RoleRule {

    /** Returns the rule's identifier, kept in every {@link RoleDecision} it makes and in audit lines. */
    String id();

    /**
     * Returns the roles this rule grants to the user, or empty when the rule does not apply to the user.
     * The first role of a match is the user's default role.
     */
    Optional<RuleMatch> match(VerifiedIdentity identity);

    /**
     * Returns the roles this rule can grant, known before any user arrives: a declarative rule's roles. Grants are
     * constants (see {@link RoleGrant}); a rule in code should list here every grant its {@link #match} returns.
     *
     * <p>Start-up checks use them: a role <em>name</em> in {@code @RequiresAwsRole} or {@code hasRole} must name exactly
     * one role among all rules' declared grants ({@link RoleRules#roleArnOf}); the user's role is then compared by
     * ARN, so a role of the same name in another account never passes. By default, none.
     */
    default java.util.List<RoleGrant> grants() {
        return java.util.List.of();
    }

    /**
     * Explains, condition by condition, why this rule matches a user or not (the "explain" view); it must agree with
     * {@link #match}. By default, a rule in code says only whether it matched, and that it gives no reasons beyond its
     * match's {@link RuleMatch#reason()}: override it to list your conditions.
     */
    default RuleExplanation explain(VerifiedIdentity identity) {
        Optional<RuleMatch> match = match(identity);
        return new RuleExplanation(id(), match.isPresent(), java.util.List.of(), match
                .map(m -> "a rule in code (" + getClass().getName() + "); it explains no conditions, its match says: " + m.reason())
                .orElse("a rule in code (" + getClass().getName() + "); it explains no conditions, it does not match"));
    }

    /**
     * What a rule grants to one user.
     *
     * @param roles  the permitted roles, in order; the first one is the default. Never empty.
     * @param reason why the rule applies, in words for a log line, e.g. {@code connection type is social}
     */
    record RuleMatch(java.util.List<RoleGrant> roles, String reason) {

        public RuleMatch {
            roles = java.util.List.copyOf(roles);
            if (roles.isEmpty()) {
                throw new IllegalArgumentException("a rule match must grant at least one role");
            }
            java.util.Objects.requireNonNull(reason, "reason");
        }
    }
}

package io.github.awsdelegation.role;

import java.util.List;
import java.util.Objects;

/**
 * The role a user gets for one request, and why: the output of {@link RoleRules#decide}.
 *
 * @param role      the granted role
 * @param permitted every role the deciding rule permits this user (the granted one among them)
 * @param ruleId    the identifier of the rule that decided
 * @param reason    why that rule applied, e.g. {@code connection type is social}
 * @param requested whether the client asked for this role explicitly (rather than getting the default)
 */
public record RoleDecision(RoleGrant role, List<RoleGrant> permitted, String ruleId, String reason, boolean requested) {

    public RoleDecision {
        Objects.requireNonNull(role, "role");
        permitted = List.copyOf(permitted);
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(reason, "reason");
    }
}

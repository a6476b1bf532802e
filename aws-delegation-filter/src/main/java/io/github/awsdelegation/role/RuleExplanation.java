package io.github.awsdelegation.role;

import java.util.List;
import java.util.Objects;

/**
 * Why one rule matched a user or not, condition by condition: what {@link RoleRule#explain} returns for the
 * "explain" view. Holds no token; it may quote the user's claims that a condition compared.
 *
 * @param ruleId     the rule's identifier
 * @param matched    whether the rule matches the user (exactly what {@link RoleRule#match} says)
 * @param conditions every condition of the rule, in order, with whether it held; empty for a rule in code that does
 *                   not explain itself
 * @param note       a remark beside the conditions, e.g. that a rule in code gives no reasons, or {@code null}
 */
public record RuleExplanation(String ruleId, boolean matched, List<Condition> conditions, String note) {

    public RuleExplanation {
        Objects.requireNonNull(ruleId, "ruleId");
        conditions = List.copyOf(conditions);
    }

    /**
     * One condition of a rule and its outcome for the user.
     *
     * @param held        whether it held
     * @param description what was found, in words, e.g. {@code connection type is social} or
     *                    {@code groups [admins] include none of [buyers]}
     */
    public record Condition(boolean held, String description) {

        public Condition {
            Objects.requireNonNull(description, "description");
        }
    }
}

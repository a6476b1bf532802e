package io.github.awsdelegation.role;

import java.util.List;
import java.util.Optional;

/**
 * How the rules decide for one user, explained ({@link RoleRules#explain}): every rule in order with why it matched or
 * not, and the decision, or the refusal the user would get.
 *
 * @param rules    every rule's explanation, in evaluation order (rules after the deciding one too)
 * @param decision the decision, or {@code null} when the user is refused
 * @param refusal  the refusal's message (answered 403), or {@code null} when a role is granted
 */
public record RoleExplanation(List<RuleExplanation> rules, RoleDecision decision, String refusal) {

    public RoleExplanation {
        rules = List.copyOf(rules);
        if ((decision == null) == (refusal == null)) {
            throw new IllegalArgumentException("an explanation has either a decision or a refusal");
        }
    }

    /** Returns the decision, unless the user is refused. */
    public Optional<RoleDecision> granted() {
        return Optional.ofNullable(decision);
    }
}

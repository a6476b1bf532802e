package io.github.awsdelegation.role.internal;

import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.role.RoleRules;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.Objects;
import java.util.Optional;

/**
 * A position in the rule order kept for a rule contributed at run time, such as a CDI rule bean: the
 * configuration document's {@code - bean: <rule id>}. {@link RoleRules#with} puts the contributed rule with
 * that id in its place.
 *
 * <p>A placeholder never decides: the filter fails the deployment while one is left unfilled, and
 * {@link #match} refuses to guess (a later, broader rule must not grant a role in its stead).
 */
public final class RulePlaceholder implements RoleRule {

    private final String id;

    /** Creates a placeholder for the contributed rule with this id. */
    public RulePlaceholder(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a rule placeholder needs the id of the rule that fills it");
        }
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /**
     * Always throws: a placeholder must be filled before the rules decide.
     *
     * @throws IllegalStateException naming the missing rule
     */
    @Override
    public Optional<RuleMatch> match(VerifiedIdentity identity) {
        Objects.requireNonNull(identity, "identity");
        throw new IllegalStateException(unfilledMessage(id));
    }

    /** Returns the message that says a placeholder was left unfilled, and how to fill it or remove it. */
    public static String unfilledMessage(String id) {
        return "the configuration places rule '" + id + "' (bean: " + id + ") but no rule with this id was contributed; "
                + "with aws-delegation-cdi, add a CDI bean implementing RoleRule whose id() is '" + id
                + "', or remove the entry";
    }

    @Override
    public String toString() {
        return "RulePlaceholder[" + id + "]";
    }
}

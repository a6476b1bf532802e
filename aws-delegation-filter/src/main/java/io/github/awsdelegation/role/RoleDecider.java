package io.github.awsdelegation.role;

import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.internal.Listeners;
import io.github.awsdelegation.role.internal.RulePlaceholder;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.List;
import java.util.Objects;

/**
 * The role stage of the pipeline: decides, by the {@link RoleRules}, which role a verified user gets and which
 * roles the user may have, for every entry point alike. It is the one place decisions and refusals are reported to the
 * {@link io.github.awsdelegation.DelegationListener}s: its own, and through {@link #refuse} those of the later stages
 * (a scope the user's values do not fit, a role STS refuses) and of the entry points (a role not offered for the
 * console, a method {@code @RequiresAwsRole} guards). Thread-safe.
 */
public final class RoleDecider {

    // Replaced (never mutated) when rules are contributed at run time, e.g. CDI rule beans.
    private volatile RoleRules rules;
    private final Listeners listeners;

    /**
     * Creates the decider; {@link io.github.awsdelegation.DelegationService} makes the one of an application.
     *
     * @param rules     the rules, in evaluation order
     * @param listeners whom refusals are reported to
     */
    public RoleDecider(RoleRules rules, Listeners listeners) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.listeners = Objects.requireNonNull(listeners, "listeners");
    }

    /** Returns the rules in force (requests in flight keep the rules they started with). */
    public RoleRules rules() {
        return rules;
    }

    /**
     * Adds rules contributed at run time, such as CDI rule beans: each takes the place of the configuration's
     * {@code - bean: <its id>} entry ({@link RulePlaceholder}), or else follows the rules already there, in the given
     * order.
     *
     * @throws ConfigurationException when a contributed rule's id is already taken
     */
    public synchronized void addRules(List<? extends RoleRule> contributed) {
        try {
            rules = rules.with(contributed);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("rules", e.getMessage(), e);
        }
    }

    /**
     * Decides the role of a user for one request; the decision is reported ({@code DECIDED}), and a refusal is
     * reported before it is thrown.
     *
     * @param identity      the verified user
     * @param requestedRole the role the client asked for (a role name or ARN), or {@code null} for the deciding
     *                      rule's default role
     * @param entryPoint    where the request entered
     * @throws RoleDeniedException when no rule matches the user, or the requested role is not permitted
     */
    public RoleDecision decide(VerifiedIdentity identity, String requestedRole, EntryPoint entryPoint) {
        RoleDecision decision;
        try {
            decision = rules.decide(identity, requestedRole);
        } catch (RoleDeniedException e) {
            throw refuse(identity, e.ruleId().orElse(null), null, requestedRole, e, entryPoint);
        }
        // DelegationEvent.decided's event, stamped as it is built: one event per request, not one and a stamped copy.
        listeners.tell(DelegationEvent.builder(DelegationEvent.Type.DECIDED, identity.issuer(), identity.subject(), entryPoint)
                .identity(identity).decision(decision).requestedRole(requestedRole));
        return decision;
    }

    /**
     * Returns the roles a user may have (the deciding rule's {@link RoleDecision#permitted()}, its default first), for
     * the entry points that offer a choice: role listing, console and command-line sign-in.
     *
     * @throws RoleDeniedException when no rule matches the user (reported)
     */
    public RoleDecision permittedRoles(VerifiedIdentity identity, EntryPoint entryPoint) {
        return decide(identity, null, entryPoint);
    }

    /**
     * Reports a refusal made after the rules decided (by a later stage or an entry point) and returns it, for the
     * caller to throw: {@code throw decider.refuse(...)}.
     *
     * @param identity      the user refused
     * @param ruleId        the rule that decided, or {@code null} when none matched
     * @param roleArn       the role refused, or {@code null}
     * @param requestedRole what the client asked for, or {@code null}
     * @param refusal       the exception the user gets (its message is the event's reason)
     * @param entryPoint    where the request entered
     */
    public <E extends DelegationException> E refuse(VerifiedIdentity identity, String ruleId, String roleArn,
            String requestedRole, E refusal, EntryPoint entryPoint) {
        listeners.tell(DelegationEvent.denied(identity, ruleId, roleArn, requestedRole, refusal.getMessage(), entryPoint));
        return refusal;
    }

    /**
     * Reports a refusal a later stage described itself (e.g. the credential broker, with the planned session and
     * STS's answer: {@link DelegationEvent#denied(io.github.awsdelegation.plan.SessionPlan, Throwable)}) and returns
     * it, for the caller to throw.
     *
     * @throws IllegalArgumentException when the event is not a {@link DelegationEvent.Type#DENIED} one
     */
    public <E extends DelegationException> E refuse(DelegationEvent denial, E refusal) {
        if (denial.type() != DelegationEvent.Type.DENIED) {
            throw new IllegalArgumentException("not a denial: " + denial.type());
        }
        listeners.tell(denial);
        return refusal;
    }

    @Override
    public String toString() {
        return "RoleDecider[" + rules.rules().size() + " rules]";
    }
}

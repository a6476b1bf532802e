package io.github.awsdelegation.role;

import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.role.internal.RulePlaceholder;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ordered list of {@link RoleRule}s: the first rule that matches a user decides which roles the user
 * may have. A client may request one of those roles by name or ARN; anything else is refused.
 */
public final class RoleRules {

    /**
     * The logger of readable lines about refusals: refused role requests and users no rule matched. The audit trail
     * itself, one JSON record per event, is on {@link io.github.awsdelegation.audit.AuditTrail#LOGGER}.
     */
    public static final String REFUSALS_LOGGER = "io.github.awsdelegation.refusals";

    private static final Logger AUDIT = LoggerFactory.getLogger(REFUSALS_LOGGER);

    private final List<RoleRule> rules;

    /** Returns the rules, evaluated in the given order. */
    public static RoleRules of(List<? extends RoleRule> rules) {
        return new RoleRules(List.copyOf(rules));
    }

    private RoleRules(List<RoleRule> rules) {
        this.rules = rules;
    }

    /** Returns the rules in evaluation order. */
    public List<RoleRule> rules() {
        return rules;
    }

    /**
     * Returns these rules with rules contributed at run time (such as CDI rule beans): a contributed rule
     * takes the place of the {@link RulePlaceholder} with its id, and the others follow the existing rules
     * in the given order.
     *
     * @throws IllegalArgumentException when a contributed rule's id is that of an existing rule (other than
     *         its placeholder) or of another contributed rule
     */
    public RoleRules with(List<? extends RoleRule> contributed) {
        Map<String, RoleRule> byId = new LinkedHashMap<>();
        for (RoleRule rule : contributed) {
            if (byId.putIfAbsent(rule.id(), rule) != null) {
                throw new IllegalArgumentException("two contributed rules have the id '" + rule.id() + "'; ids must be unique");
            }
        }
        List<RoleRule> merged = new ArrayList<>(rules.size() + byId.size());
        for (RoleRule rule : rules) {
            if (rule instanceof RulePlaceholder && byId.containsKey(rule.id())) {
                merged.add(byId.remove(rule.id()));
            } else if (byId.containsKey(rule.id())) {
                throw new IllegalArgumentException("a contributed rule has the id '" + rule.id()
                        + "' of a rule that is already configured (" + rule + "); ids must be unique");
            } else {
                merged.add(rule);
            }
        }
        merged.addAll(byId.values());
        return new RoleRules(List.copyOf(merged));
    }

    /** Returns every grant the rules declare ahead ({@link RoleRule#grants()}), in rule order, without repeats. */
    public List<RoleGrant> declaredGrants() {
        return rules.stream().flatMap(r -> r.grants().stream()).distinct().toList();
    }

    /**
     * Resolves how code names a role ({@code @RequiresAwsRole}, {@code hasRole}) to the one role ARN it means. An ARN
     * stands for itself. A role name (compared without regard to case, as IAM names are unique regardless of case)
     * must name exactly one role among the rules' {@linkplain #declaredGrants declared grants}: the same name in two
     * accounts (production and a sandbox) would otherwise let the harmless one pass a check meant for the other.
     *
     * @param nameOrArn a role name, e.g. {@code pet-shop-admin}, or a role ARN
     * @return the role ARN
     * @throws IllegalArgumentException when the name names no declared role, or several; the message lists them and
     *                                  says to write the ARN
     */
    public String roleArnOf(String nameOrArn) {
        String value = Objects.requireNonNull(nameOrArn, "nameOrArn").trim();
        if (value.startsWith("arn:")) {
            return value;
        }
        List<String> arns = declaredGrants().stream().filter(g -> g.roleName().equalsIgnoreCase(value))
                .map(RoleGrant::roleArn).distinct().toList();
        if (arns.size() == 1) {
            return arns.get(0);
        }
        if (arns.isEmpty()) {
            throw new IllegalArgumentException("role name '" + printable(value) + "' names none of the roles the rules "
                    + "declare; write the role's ARN (arn:aws:iam::<account>:role/" + printable(value) + "), or list the "
                    + "role in the grants() of the rule in code that grants it");
        }
        throw new IllegalArgumentException("role name '" + printable(value) + "' is ambiguous: the rules declare "
                + arns.size() + " roles of that name (" + String.join(", ", arns) + "); write the ARN of the one meant");
    }

    /** Returns the ids of the {@link RulePlaceholder}s no contributed rule has filled yet, in order. */
    public List<String> unfilledPlaceholders() {
        return rules.stream().filter(RulePlaceholder.class::isInstance).map(RoleRule::id).toList();
    }

    /**
     * Decides the role of a user for one request.
     *
     * @param identity      the verified user
     * @param requestedRole the role the client asked for (a role name or ARN), or {@code null} for the
     *                      deciding rule's default role
     * @return the decision, naming the rule and why it applied
     * @throws RoleDeniedException when no rule matches the user, or the requested role is not permitted
     */
    public RoleDecision decide(VerifiedIdentity identity, String requestedRole) {
        for (RoleRule rule : rules) {
            Optional<RoleRule.RuleMatch> match = rule.match(identity);
            if (match.isEmpty()) {
                continue;
            }
            List<RoleGrant> permitted = match.get().roles();
            if (requestedRole == null || requestedRole.isBlank()) {
                return new RoleDecision(permitted.get(0), permitted, rule.id(), match.get().reason(), false);
            }
            for (RoleGrant grant : permitted) {
                if (grant.isNamedBy(requestedRole.trim())) {
                    return new RoleDecision(grant, permitted, rule.id(), match.get().reason(), true);
                }
            }
            String names = permitted.stream().map(RoleGrant::roleName).collect(Collectors.joining(", "));
            AUDIT.warn("Role request refused: subject={} connection={}/{} requested={} rule={} permitted=[{}]",
                    LogSafe.of(identity.subject()), identity.connectionType().configName(), LogSafe.of(identity.connectionName()),
                    LogSafe.of(printable(requestedRole)), rule.id(), names);
            throw new RoleDeniedException("role '" + printable(requestedRole) + "' is not permitted for this user; rule '"
                    + rule.id() + "' (" + match.get().reason() + ") permits: " + names, rule.id());
        }
        AUDIT.warn("No role rule matches: subject={} connection={}/{}", LogSafe.of(identity.subject()),
                identity.connectionType().configName(), LogSafe.of(identity.connectionName()));
        throw new RoleDeniedException("no role rule matches this user (connection type "
                + identity.connectionType().configName() + ", connection '" + identity.connectionName()
                + "'); add a rule for it to the configuration");
    }

    // A requested role comes from the client: keep it short and printable in logs and messages.
    private static String printable(String value) {
        String s = value.length() > 200 ? value.substring(0, 200) + "..." : value;
        return s.replaceAll("[^\\x20-\\x7E]", "?");
    }
}

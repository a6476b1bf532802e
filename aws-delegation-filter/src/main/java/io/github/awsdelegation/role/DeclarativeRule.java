package io.github.awsdelegation.role;

import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule from the configuration document: a set of conditions that must all hold, and the roles granted
 * when they do. Within one condition, several values mean "any of these".
 *
 * <pre>{@code
 * DeclarativeRule.builder("social-buyers")
 *         .connectionTypes(ConnectionType.SOCIAL)
 *         .grant(RoleGrant.of("arn:aws:iam::123456789012:role/pet-shop-buyer"))
 *         .build();
 * }</pre>
 */
public final class DeclarativeRule implements RoleRule {

    /** How a claim condition compares the claim's value. */
    public enum ClaimOperator {
        /** The value equals the expected string. */
        EQUALS,
        /** The value starts with the expected string. */
        PREFIX,
        /** The whole value matches the expected regular expression. */
        REGEX
    }

    /**
     * A condition on one claim. A claim holding a JSON array matches when any of its elements matches.
     *
     * @param claim    the claim's name
     * @param operator how to compare
     * @param expected the expected string, prefix or regular expression
     */
    public record ClaimCondition(String claim, ClaimOperator operator, String expected) {

        public ClaimCondition {
            Objects.requireNonNull(claim, "claim");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(expected, "expected");
            if (operator == ClaimOperator.REGEX) {
                Pattern.compile(expected); // fails on a bad pattern at configuration time
            }
        }

        boolean test(VerifiedIdentity identity) {
            Object value = identity.claims().get(claim);
            if (value instanceof Collection<?> values) {
                return values.stream().anyMatch(v -> v != null && compare(String.valueOf(v)));
            }
            return value != null && compare(String.valueOf(value));
        }

        private boolean compare(String value) {
            return switch (operator) {
                case EQUALS -> value.equals(expected);
                case PREFIX -> value.startsWith(expected);
                case REGEX -> Pattern.compile(expected).matcher(value).matches();
            };
        }

        @Override
        public String toString() {
            return "claim " + claim + " " + operator.name().toLowerCase(Locale.ROOT) + " '" + expected + "'";
        }
    }

    // The reason a held connection type gives, for each type: written once, not on every request.
    private static final Map<ConnectionType, String> HELD_CONNECTION_TYPE = new EnumMap<>(ConnectionType.class);

    static {
        for (ConnectionType type : ConnectionType.values()) {
            HELD_CONNECTION_TYPE.put(type, "connection type is " + type.configName());
        }
    }

    private final String id;
    private final Set<ConnectionType> connectionTypes;
    private final Set<String> connectionNames;
    private final Set<String> groups;
    private final Set<String> emailDomains;
    private final List<ClaimCondition> claims;
    private final List<RoleGrant> roles;

    private DeclarativeRule(Builder b) {
        this.id = b.id;
        this.connectionTypes = Set.copyOf(b.connectionTypes);
        this.connectionNames = Set.copyOf(b.connectionNames);
        this.groups = Set.copyOf(b.groups);
        this.emailDomains = Set.copyOf(b.emailDomains);
        this.claims = List.copyOf(b.claims);
        this.roles = List.copyOf(b.roles);
    }

    /** Returns a builder for a rule with the given identifier. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    @Override
    public String id() {
        return id;
    }

    /** Returns the roles this rule grants, the default first. */
    public List<RoleGrant> roles() {
        return roles;
    }

    /** Returns {@link #roles()}: a declarative rule grants only what the document lists. */
    @Override
    public List<RoleGrant> grants() {
        return roles;
    }

    @Override
    public Optional<RuleMatch> match(VerifiedIdentity identity) {
        // Asked on every request: the first failed condition ends it before its description is written.
        List<RuleExplanation.Condition> conditions = evaluate(identity, true);
        if (conditions == NOT_MATCHED) {
            return Optional.empty();
        }
        if (conditions.isEmpty()) {
            return Optional.of(new RuleMatch(roles, NO_CONDITIONS));
        }
        String reason = conditions.get(0).description();
        for (int i = 1; i < conditions.size(); i++) {
            reason = reason + ", " + conditions.get(i).description();
        }
        return Optional.of(new RuleMatch(roles, reason));
    }

    /** Lists every condition of the rule with whether it holds for the user, and what the user's values are. */
    @Override
    public RuleExplanation explain(VerifiedIdentity identity) {
        List<RuleExplanation.Condition> conditions = evaluate(identity, false);
        boolean matched = conditions.stream().allMatch(RuleExplanation.Condition::held);
        return new RuleExplanation(id, matched, conditions, conditions.isEmpty() ? NO_CONDITIONS : null);
    }

    // The one place the conditions are evaluated, for match (which stops at the first failed one) and explain (which
    // evaluates them all). A held condition's description is the reason a match gives.
    private List<RuleExplanation.Condition> evaluate(VerifiedIdentity identity, boolean stopAtFailure) {
        List<RuleExplanation.Condition> out = new ArrayList<>();
        if (!connectionTypes.isEmpty()) {
            boolean held = connectionTypes.contains(identity.connectionType());
            if (!held && stopAtFailure) {
                return NOT_MATCHED;
            }
            out.add(new RuleExplanation.Condition(held, held ? HELD_CONNECTION_TYPE.get(identity.connectionType())
                    : "connection type is " + identity.connectionType().configName() + ", not "
                    + oneOf(connectionTypes.stream().map(ConnectionType::configName).toList())));
        }
        if (!connectionNames.isEmpty()) {
            boolean held = connectionNames.contains(identity.connectionName());
            if (!held && stopAtFailure) {
                return NOT_MATCHED;
            }
            out.add(new RuleExplanation.Condition(held, "connection is " + identity.connectionName()
                    + (held ? "" : ", not " + oneOf(connectionNames))));
        }
        if (!groups.isEmpty()) {
            Optional<String> group = identity.groups().stream().filter(groups::contains).findFirst();
            if (group.isEmpty() && stopAtFailure) {
                return NOT_MATCHED;
            }
            out.add(new RuleExplanation.Condition(group.isPresent(), group.map(g -> "member of group " + g)
                    .orElse("groups " + identity.groups() + " include none of " + sorted(groups))));
        }
        if (!emailDomains.isEmpty()) {
            // An unverified address proves nothing about the domain.
            boolean verified = Boolean.TRUE.equals(identity.claims().get("email_verified"));
            Optional<String> domain = identity.emailDomain();
            boolean held = verified && domain.isPresent() && emailDomains.contains(domain.get());
            if (!held && stopAtFailure) {
                return NOT_MATCHED;
            }
            String description = held ? "verified email domain is " + domain.get()
                    : !verified || domain.isEmpty() ? "no verified email address (email domain must be " + oneOf(emailDomains) + ")"
                    : "verified email domain is " + domain.get() + ", not " + oneOf(emailDomains);
            out.add(new RuleExplanation.Condition(held, description));
        }
        for (ClaimCondition condition : claims) {
            boolean held = condition.test(identity);
            if (!held && stopAtFailure) {
                return NOT_MATCHED;
            }
            out.add(new RuleExplanation.Condition(held, held ? condition.toString()
                    : condition + " does not hold (" + condition.claim() + " is " + shown(identity.claims().get(condition.claim())) + ")"));
        }
        return out;
    }

    private static final String NO_CONDITIONS = "rule has no conditions";

    // What evaluate(identity, true) returns at the first failed condition (compared by identity).
    private static final List<RuleExplanation.Condition> NOT_MATCHED = Collections.unmodifiableList(new ArrayList<>());

    private static String oneOf(Collection<String> values) {
        List<String> s = sorted(values);
        return s.size() == 1 ? s.get(0) : "one of " + s;
    }

    private static List<String> sorted(Collection<String> values) {
        return values.stream().sorted().toList();
    }

    // A claim value in an explanation: short and printable.
    private static String shown(Object value) {
        if (value == null) {
            return "absent";
        }
        String s = String.valueOf(value);
        s = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return "'" + s.replaceAll("[^\\x20-\\x7E]", "?") + "'";
    }

    @Override
    public String toString() {
        return "DeclarativeRule[" + id + "]";
    }

    /** Builds a {@link DeclarativeRule}; conditions left unset do not restrict the rule. */
    public static final class Builder {

        private final String id;
        private final List<ConnectionType> connectionTypes = new ArrayList<>();
        private final List<String> connectionNames = new ArrayList<>();
        private final List<String> groups = new ArrayList<>();
        private final List<String> emailDomains = new ArrayList<>();
        private final List<ClaimCondition> claims = new ArrayList<>();
        private final List<RoleGrant> roles = new ArrayList<>();

        private Builder(String id) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("a rule needs an id");
            }
            this.id = id;
        }

        /** Requires one of these connection types. */
        public Builder connectionTypes(ConnectionType... types) {
            connectionTypes.addAll(List.of(types));
            return this;
        }

        /** Requires one of these connection names. */
        public Builder connectionNames(String... names) {
            connectionNames.addAll(List.of(names));
            return this;
        }

        /** Requires membership of one of these groups. */
        public Builder groups(String... names) {
            groups.addAll(List.of(names));
            return this;
        }

        /** Requires a verified email address in one of these domains (compared in lower case). */
        public Builder emailDomains(String... domains) {
            for (String d : domains) {
                emailDomains.add(d.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** Requires a claim condition; several claim conditions must all hold. */
        public Builder claim(String claim, ClaimOperator operator, String expected) {
            claims.add(new ClaimCondition(claim, operator, expected));
            return this;
        }

        /** Adds a role to grant; the first one added is the default. */
        public Builder grant(RoleGrant role) {
            roles.add(Objects.requireNonNull(role, "role"));
            return this;
        }

        /** Builds the rule. */
        public DeclarativeRule build() {
            if (roles.isEmpty()) {
                throw new IllegalArgumentException("rule '" + id + "' grants no role; add at least one role ARN");
            }
            return new DeclarativeRule(this);
        }
    }
}

package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.token.ConnectionType;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A declarative rule of {@code rules}: who (every condition given must hold) gets which roles.
 *
 * @param id             the rule's id, unique; required
 * @param connectionType the connection types the user's connection must be one of
 * @param connection     the connection names the user's connection must be one of
 * @param group          the groups of which the user must be in one
 * @param emailDomain    the domains of which the user's (verified) email must be in one
 * @param claims         claims the token must carry
 * @param roles          the roles granted, at least one
 */
public record DeclarativeRuleDocument(@Required String id, List<ConnectionType> connectionType, List<String> connection,
        List<String> group, List<String> emailDomain, List<Claim> claims, List<RoleDocument> roles) implements RuleDocument {

    public DeclarativeRuleDocument {
        if (roles.isEmpty()) {
            throw new ConfigurationException("roles", "rule '" + id + "' grants no role; list at least one role arn");
        }
    }

    @Override
    public RoleRule rule(ClassLoader classLoader) {
        DeclarativeRule.Builder rule = DeclarativeRule.builder(id);
        connectionType.forEach(type -> rule.connectionTypes(type));
        rule.connectionNames(connection.toArray(String[]::new));
        rule.groups(group.toArray(String[]::new));
        rule.emailDomains(emailDomain.toArray(String[]::new));
        claims.forEach(claim -> rule.claim(claim.name(), claim.operator(), claim.expected()));
        for (int i = 0; i < roles.size(); i++) {
            RoleDocument role = roles.get(i);
            rule.grant(YamlBinderSupport.within("roles[" + i + "]", () -> role.grant(id)));
        }
        return rule.build();
    }

    /**
     * A claim the token must carry, compared with exactly one operator.
     *
     * @param name   the claim's name; required
     * @param equals the value it must equal
     * @param prefix the prefix it must start with
     * @param regex  a regular expression it must match in full
     */
    public record Claim(@Required String name, String equals, String prefix, String regex) {

        public Claim {
            int operators = (equals != null ? 1 : 0) + (prefix != null ? 1 : 0) + (regex != null ? 1 : 0);
            if (operators != 1) {
                throw new ConfigurationException("name", "give exactly one of equals, prefix or regex");
            }
            if (regex != null) {
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    throw new ConfigurationException("regex", "not a valid regular expression: " + e.getMessage(), e);
                }
            }
        }

        DeclarativeRule.ClaimOperator operator() {
            return equals != null ? DeclarativeRule.ClaimOperator.EQUALS
                    : prefix != null ? DeclarativeRule.ClaimOperator.PREFIX : DeclarativeRule.ClaimOperator.REGEX;
        }

        String expected() {
            return equals != null ? equals : prefix != null ? prefix : regex;
        }
    }
}

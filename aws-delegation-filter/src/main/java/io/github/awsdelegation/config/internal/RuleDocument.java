package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.role.internal.RulePlaceholder;

/**
 * One entry of {@code rules}: a rule in code ({@code class}), a place kept for a rule contributed at run time
 * ({@code bean}), or a declarative rule ({@code id}, conditions and roles). Complaints are keyed relative to the entry.
 */
public sealed interface RuleDocument permits RuleDocument.Code, RuleDocument.Bean, DeclarativeRuleDocument {

    /** Returns the rule. */
    RoleRule rule(ClassLoader classLoader);

    /**
     * A rule in code: a class implementing {@link RoleRule} with a public no-argument constructor.
     *
     * @param className the class's name
     */
    record Code(@Required @Key("class") String className) implements RuleDocument {

        @Override
        public RoleRule rule(ClassLoader classLoader) {
            try {
                Class<?> type = Class.forName(className, true, classLoader);
                if (!RoleRule.class.isAssignableFrom(type)) {
                    throw new ConfigurationException("class", className + " does not implement " + RoleRule.class.getName());
                }
                return (RoleRule) type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new ConfigurationException("class", "cannot create " + className + " (it needs a public no-argument "
                        + "constructor and must be on the web app's class path): " + e, e);
            }
        }
    }

    /**
     * The position of a rule contributed at run time (a CDI rule bean) with this id; the bean decides, so the entry
     * takes no conditions or roles of its own.
     *
     * @param bean the contributed rule's id
     */
    record Bean(@Required String bean) implements RuleDocument {

        @Override
        public RoleRule rule(ClassLoader classLoader) {
            return new RulePlaceholder(bean);
        }
    }
}

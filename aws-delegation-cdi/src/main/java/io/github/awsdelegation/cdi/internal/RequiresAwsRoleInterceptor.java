package io.github.awsdelegation.cdi.internal;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.cdi.CurrentDelegation;
import io.github.awsdelegation.cdi.NoDelegationException;
import io.github.awsdelegation.cdi.RequiresAwsRole;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.role.RoleRules;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks {@link RequiresAwsRole} before the call proceeds. Enabled for the whole application by its
 * priority, early among library interceptors so that nothing else runs for a refused call.
 */
@RequiresAwsRole({})
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE + 100)
public class RequiresAwsRoleInterceptor {

    // Weld's key for the bindings of the intercepted method (stereotypes and inheritance resolved).
    private static final String WELD_BINDINGS = "org.jboss.weld.interceptor.bindings";

    private static final Logger AUDIT = LoggerFactory.getLogger(RoleRules.REFUSALS_LOGGER);

    @Inject
    CurrentDelegation current;

    @Inject
    RequestDelegation request;

    /** Proceeds when the current user's role is one the binding names; otherwise throws. */
    @AroundInvoke
    public Object check(InvocationContext context) throws Exception {
        String[] required = requiredRoles(context);
        String operation = operation(context);
        String roles = String.join("' or '", required);
        Delegation delegation;
        try {
            delegation = current.get();
        } catch (NoDelegationException e) {
            AUDIT.warn("Call refused: operation={} requires={} but the call has no AWS delegation", operation,
                    Arrays.toString(required));
            throw new RoleDeniedException("role '" + roles + "' is required to call " + operation + "; " + e.getMessage());
        }
        RoleDecision decision = delegation.decision();
        boolean permitted;
        try {
            permitted = current.hasRole(required); // by ARN: a same-named role of another account does not pass
        } catch (IllegalArgumentException ambiguous) {
            // Checked at start-up; rules contributed since could still make a name ambiguous: refuse, never guess.
            AUDIT.warn("Call refused: operation={} requires={}: {}", operation, Arrays.toString(required),
                    io.github.awsdelegation.internal.LogSafe.of(ambiguous.getMessage()));
            throw refuse(delegation, new RoleDeniedException("the roles required to call " + operation + " cannot be told "
                    + "apart: " + ambiguous.getMessage(), decision.ruleId()));
        }
        if (permitted) {
            return context.proceed();
        }
        AUDIT.warn("Call refused: subject={} operation={} requires={} role={} rule={}",
                io.github.awsdelegation.internal.LogSafe.of(delegation.identity().subject()),
                operation, Arrays.toString(required), decision.role().roleName(), decision.ruleId());
        throw refuse(delegation, new RoleDeniedException("role '" + roles + "' is required to call " + operation
                + "; this request has role '" + decision.role().roleArn() + "' (rule '" + decision.ruleId() + "')",
                decision.ruleId()));
    }

    // Reported through the role decider, as every entry point's refusals are (a CDI event @Denied among them).
    private RoleDeniedException refuse(Delegation delegation, RoleDeniedException refusal) {
        RoleDecision decision = delegation.decision();
        return request.service().map(service -> service.decider().refuse(delegation.identity(), decision.ruleId(),
                decision.role().roleArn(), null, refusal, EntryPoint.CDI)).orElse(refusal);
    }

    private static String[] requiredRoles(InvocationContext context) {
        if (context.getContextData().get(WELD_BINDINGS) instanceof Collection<?> bindings) {
            for (Object binding : bindings) {
                if (binding instanceof RequiresAwsRole r) {
                    return r.value();
                }
            }
        }
        Method method = context.getMethod();
        RequiresAwsRole annotation = method == null ? null : method.getAnnotation(RequiresAwsRole.class);
        if (annotation == null && context.getTarget() != null) {
            annotation = context.getTarget().getClass().getAnnotation(RequiresAwsRole.class); // @Inherited: past proxies
        }
        if (annotation == null && method != null) {
            annotation = method.getDeclaringClass().getAnnotation(RequiresAwsRole.class);
        }
        if (annotation == null) {
            // Bound through a stereotype on a container without Weld's bindings key: refuse rather than guess.
            throw new RoleDeniedException("the roles @RequiresAwsRole requires of " + operation(context) + " cannot be read");
        }
        return annotation.value();
    }

    private static String operation(InvocationContext context) {
        Method method = context.getMethod();
        if (method == null) {
            return "this operation";
        }
        Class<?> type = method.getDeclaringClass();
        return type.getSimpleName() + "." + method.getName();
    }
}

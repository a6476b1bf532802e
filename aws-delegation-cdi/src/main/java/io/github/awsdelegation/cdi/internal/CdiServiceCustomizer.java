package io.github.awsdelegation.cdi.internal;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.metrics.DelegationMetrics;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.servlet.DelegationServiceCustomizer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.AmbiguousResolutionException;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the filter's service to the web app's CDI container when the filter starts (found by the filter
 * through {@code META-INF/services}): the app's {@link RoleRule} beans take part in decisions, and every
 * delegation outcome is fired as a CDI event; the app's Micrometer {@code MeterRegistry} bean, when there is one,
 * gets the module's metrics.
 *
 * <p>Rule beans are ordered by {@link Priority} (lowest first; beans without one last), then by rule id.
 * A bean whose id the configuration names ({@code - bean: <id>}) is evaluated at that position; the others
 * follow the configured rules.
 */
public final class CdiServiceCustomizer implements DelegationServiceCustomizer {

    private static final Logger LOG = LoggerFactory.getLogger(CdiServiceCustomizer.class);
    private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    /** Called by the filter's {@link java.util.ServiceLoader}. */
    public CdiServiceCustomizer() {
    }

    @Override
    public void customize(DelegationService service, ServletContext context) {
        BeanManager beanManager = beanManager(context);
        if (beanManager == null) {
            LOG.warn("aws-delegation-cdi is in the web app, but no CDI container runs it: rule beans and CDI events are off");
            return;
        }
        List<RoleRule> rules = ruleBeans(beanManager);
        service.decider().addRules(rules);
        RequiresAwsRoleSites sites = requiresAwsRoleSites(beanManager);
        if (sites != null) {
            RequiresAwsRoleSites.check(sites.sites(), service.decider().rules()); // a role name must mean one role: else no start
        }
        service.addListener(new CdiEventPublisher(beanManager));
        startedService(beanManager).started(service);
        for (Bean<?> bean : beanManager.getBeans(FilterService.class)) {
            ((FilterService) beanManager.getReference(bean, FilterService.class, beanManager.createCreationalContext(bean)))
                    .set(service); // for DelegationAdmin
        }
        boolean metrics = bindMeterRegistry(service, beanManager);
        LOG.info("aws-delegation-cdi: {} rule bean(s), CDI events on, metrics {}; rule order: {}", rules.size(),
                metrics ? "on" : "off", service.decider().rules().rules().stream().map(RoleRule::id).toList());
    }

    /**
     * Binds the service's metrics to the app's Micrometer {@code MeterRegistry} bean, when Micrometer is on the class
     * path and there is exactly one such bean. Micrometer is optional: its class is looked up by name, never linked.
     */
    static boolean bindMeterRegistry(DelegationService service, BeanManager beanManager) {
        Class<?> registryType;
        try {
            registryType = Class.forName(METER_REGISTRY, false, CdiServiceCustomizer.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError noMicrometer) {
            return false;
        }
        Bean<?> bean;
        try {
            bean = beanManager.resolve(beanManager.getBeans(registryType));
        } catch (AmbiguousResolutionException e) {
            LOG.warn("aws-delegation-cdi: several MeterRegistry beans and none is the default one: metrics are off "
                    + "(make one @Default, or bind DelegationMetrics yourself)");
            return false;
        }
        if (bean == null) {
            return false;
        }
        try {
            Object registry = beanManager.getReference(bean, registryType, beanManager.createCreationalContext(bean));
            DelegationMetrics.bind(service, registry);
            return true;
        } catch (RuntimeException e) {
            // E.g. a registry produced in a normal scope, which CDI cannot proxy: produce it @Singleton or @Dependent.
            LOG.warn("aws-delegation-cdi: the MeterRegistry bean cannot be used ({}): metrics are off", e.toString());
            return false;
        }
    }

    private static BeanManager beanManager(ServletContext context) {
        // Weld servlet publishes its bean manager in the servlet context; elsewhere (WildFly) CDI.current() finds it.
        if (context.getAttribute(BeanManager.class.getName()) instanceof BeanManager published) {
            return published;
        }
        try {
            return CDI.current().getBeanManager();
        } catch (IllegalStateException noContainer) {
            return null;
        }
    }

    private static StartedService startedService(BeanManager beanManager) {
        Bean<?> bean = beanManager.resolve(beanManager.getBeans(StartedService.class));
        return (StartedService) beanManager.getReference(bean, StartedService.class, beanManager.createCreationalContext(bean));
    }

    private static RequiresAwsRoleSites requiresAwsRoleSites(BeanManager beanManager) {
        try {
            return beanManager.getExtension(RequiresAwsRoleSites.class);
        } catch (IllegalArgumentException notRegistered) {
            LOG.warn("aws-delegation-cdi's extension did not run: the roles @RequiresAwsRole names are checked per call only");
            return null;
        }
    }

    private static List<RoleRule> ruleBeans(BeanManager beanManager) {
        List<Ranked> ranked = new ArrayList<>();
        for (Bean<?> bean : beanManager.getBeans(RoleRule.class, Any.Literal.INSTANCE)) {
            CreationalContext<?> creation = beanManager.createCreationalContext(bean);
            RoleRule rule = (RoleRule) beanManager.getReference(bean, RoleRule.class, creation);
            ranked.add(new Ranked(rule, priority(bean), rule.id()));
        }
        ranked.sort(Comparator.comparingInt(Ranked::priority).thenComparing(Ranked::id));
        return ranked.stream().map(Ranked::rule).toList();
    }

    private static int priority(Bean<?> bean) {
        Priority priority = bean.getBeanClass().getAnnotation(Priority.class);
        return priority == null ? Integer.MAX_VALUE : priority.value();
    }

    private record Ranked(RoleRule rule, int priority, String id) {
    }
}

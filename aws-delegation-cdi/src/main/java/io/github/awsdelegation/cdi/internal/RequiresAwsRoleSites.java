package io.github.awsdelegation.cdi.internal;

import io.github.awsdelegation.cdi.RequiresAwsRole;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.role.RoleRules;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects every {@link RequiresAwsRole} of the application's beans while the container starts, so that the filter's
 * start can check them against the configured roles ({@link #check}): a role name that names several roles (the same
 * name in two accounts) or none fails the deployment, naming the annotation and the fix.
 */
public final class RequiresAwsRoleSites implements Extension {

    /**
     * One annotation: where it is and the roles it names.
     *
     * @param site  e.g. {@code PetCatalogue.removePet}, or {@code OrderDesk} for a class-level annotation
     * @param roles the annotation's values
     */
    public record Site(String site, List<String> roles) {
    }

    private final List<Site> sites = Collections.synchronizedList(new ArrayList<>());

    <T> void collect(@Observes @WithAnnotations(RequiresAwsRole.class) ProcessAnnotatedType<T> event) {
        AnnotatedType<T> type = event.getAnnotatedType();
        if (type.isAnnotationPresent(jakarta.interceptor.Interceptor.class)) {
            return; // the interceptor carries the binding to say what it intercepts
        }
        String typeName = type.getJavaClass().getSimpleName();
        RequiresAwsRole onType = type.getAnnotation(RequiresAwsRole.class);
        if (onType != null) {
            sites.add(new Site(typeName, List.of(onType.value())));
        }
        for (AnnotatedMethod<? super T> method : type.getMethods()) {
            RequiresAwsRole onMethod = method.getAnnotation(RequiresAwsRole.class);
            if (onMethod != null) {
                sites.add(new Site(typeName + "." + method.getJavaMember().getName(), List.of(onMethod.value())));
            }
        }
    }

    /** Returns the annotations found, in discovery order. */
    public List<Site> sites() {
        synchronized (sites) {
            return List.copyOf(sites);
        }
    }

    /**
     * Checks that every role an annotation names resolves to exactly one configured role.
     *
     * @throws ConfigurationException naming the annotation, the role and the fix
     */
    public static void check(List<Site> sites, RoleRules rules) {
        for (Site site : sites) {
            if (site.roles().isEmpty()) {
                throw new ConfigurationException("@RequiresAwsRole", "on " + site.site() + " names no role; name at least one");
            }
            for (String role : site.roles()) {
                try {
                    rules.roleArnOf(role);
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("@RequiresAwsRole", "on " + site.site() + ": " + e.getMessage(), e);
                }
            }
        }
    }
}

package io.github.awsdelegation.cdi;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Documented;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Allows a CDI bean's method (or every business method of a bean class) to be called only when the current
 * user's AWS role, as the aws-delegation filter decided it for this request, is one of the given roles.
 *
 * <pre>{@code
 * @RequestScoped
 * public class Catalogue {
 *     @RequiresAwsRole("pet-shop-admin")
 *     public void removePet(String id) { ... }
 * }
 * }</pre>
 *
 * <p>A call without one of the roles throws {@link io.github.awsdelegation.role.RoleDeniedException} and
 * is recorded by the {@code io.github.awsdelegation.audit} logger; when the exception leaves the servlet,
 * the filter answers it as it answers its own refusals: 403 with the reason. A call outside an HTTP request,
 * or in a request the filter did not handle, is refused the same way (no delegation, no role).
 *
 * <p>An annotation on a method takes the place of one on its class. It works on CDI beans (interceptors
 * do not apply to servlets themselves: put the protected operation in a bean).
 */
@Inherited
@Documented
@InterceptorBinding
@Retention(RUNTIME)
@Target({TYPE, METHOD})
public @interface RequiresAwsRole {

    /**
     * The roles, any one of which permits the call: role names (compared without regard to case, as IAM
     * does) or role ARNs.
     */
    @Nonbinding
    String[] value();
}

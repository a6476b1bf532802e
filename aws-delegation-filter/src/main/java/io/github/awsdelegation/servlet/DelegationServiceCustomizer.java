package io.github.awsdelegation.servlet;

import io.github.awsdelegation.DelegationService;
import jakarta.servlet.ServletContext;

/**
 * Extends the filter's {@link DelegationService} when the filter starts, before it serves a request: adds
 * rules ({@link io.github.awsdelegation.role.RoleDecider#addRules}) or listeners ({@link DelegationService#addListener}). The
 * filter finds implementations with {@link java.util.ServiceLoader} in the web app
 * ({@code META-INF/services/io.github.awsdelegation.servlet.DelegationServiceCustomizer}); the CDI module
 * registers one that adds the app's rule beans and fires CDI events.
 *
 * <p>A {@link io.github.awsdelegation.config.ConfigurationException} thrown here fails the deployment, like
 * a mistake in the configuration document.
 */
public interface DelegationServiceCustomizer {

    /**
     * Extends the service.
     *
     * @param service the filter's service, configured and not yet serving
     * @param context the web app the filter runs in
     */
    void customize(DelegationService service, ServletContext context);
}

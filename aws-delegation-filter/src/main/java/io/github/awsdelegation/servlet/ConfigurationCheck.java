package io.github.awsdelegation.servlet;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.servlet.internal.SamlEndpoints;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the filter's configuration document when the web app starts, so that a mistake in it fails the
 * deployment on every container, naming the key and the fix. Tomcat starts filters with the web app anyway;
 * Undertow (WildFly) starts them only at the first request, and without this check a missing variable would
 * surface there, as a failed request, instead of a failed deployment.
 *
 * <p>It only reads the document of each {@link AwsDelegationFilter} declared with a {@code config} init-param
 * (a filter built in code around its own service is checked by its builder); the filter reads it again when it
 * starts. Registered in {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}.
 */
public final class ConfigurationCheck implements ServletContainerInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationCheck.class);

    /** Checks the documents while the web app starts: web.xml's filters are registered by then, and nothing runs yet. */
    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        check(context);
    }

    /**
     * Reads the configuration of every delegation filter of the web app.
     *
     * @throws IllegalStateException with the key and the fix, when a document is wrong
     */
    static void check(ServletContext context) {
        for (FilterRegistration registration : context.getFilterRegistrations().values()) {
            String location = registration.getInitParameter(AwsDelegationFilter.CONFIG_PARAMETER);
            if (!AwsDelegationFilter.class.getName().equals(registration.getClassName()) || location == null || location.isBlank()) {
                continue;
            }
            try {
                var config = DelegationConfigLoader.create().parse(AwsDelegationFilter.read(context, location));
                if (config.saml() != null) {
                    SamlEndpoints.requireBaseUrl(config.oidc().issuer(), config.samlEndpoints());
                }
            } catch (ConfigurationException e) {
                LOG.error("AWS delegation configuration error: {}", e.getMessage());
                throw new IllegalStateException("AWS delegation configuration error: " + e.getMessage(), e);
            }
        }
    }
}

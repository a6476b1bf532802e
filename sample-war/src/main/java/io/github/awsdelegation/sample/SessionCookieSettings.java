package io.github.awsdelegation.sample;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Locale;

/**
 * Marks the session cookie {@code Secure} when the shop's public URL ({@code PET_SHOP_BASE_URL}) is https, so that a
 * browser never sends it over plain http. web.xml cannot say "Secure behind https" (a fixed {@code <secure>} would
 * lose the cookie on the embedded http default), and WildFly does not add it by itself as Tomcat does for an https
 * request. HttpOnly comes from web.xml, SameSite=Lax from the container's configuration in the WAR.
 */
public class SessionCookieSettings implements ServletContextListener {

    /** The variable with the shop's public URL, as {@code saml.baseUrl} in WEB-INF/aws-delegation.yaml reads it. */
    static final String BASE_URL = "PET_SHOP_BASE_URL";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        String baseUrl = System.getProperty(BASE_URL);
        if (baseUrl == null) {
            baseUrl = System.getenv(BASE_URL);
        }
        if (baseUrl != null && baseUrl.trim().toLowerCase(Locale.ROOT).startsWith("https://")) {
            event.getServletContext().getSessionCookieConfig().setSecure(true);
        }
    }
}

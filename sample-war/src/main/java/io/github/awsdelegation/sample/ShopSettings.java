package io.github.awsdelegation.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The shop's own settings, read once at startup from the same variables as {@code WEB-INF/aws-delegation.yaml}
 * (a Java system property, else an environment variable). A missing or malformed value fails the deployment
 * with the variable's name and what to set it to.
 */
@ApplicationScoped
public class ShopSettings {

    static final String PETS_API = "PET_SHOP_API_URL";
    static final String BUCKET = "PET_SHOP_BUCKET";
    static final String ADMIN_ROLE = "PET_SHOP_ADMIN_ROLE";
    static final String BUYER_ROLE = "PET_SHOP_BUYER_ROLE";
    static final String METRICS_LOOPBACK = "PET_SHOP_METRICS_LOOPBACK";

    private URI petsApi;
    private String bucket;
    private String adminRole;
    private String buyerRole;
    private boolean metricsOnLoopback;

    /** Reads the settings when the application starts, so that a mistake stops the deployment. */
    void read(@Observes @Initialized(ApplicationScoped.class) Object started) {
        petsApi = petsApi(variable(PETS_API, null));
        bucket = variable(BUCKET, "pet-shop");
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalStateException(BUCKET + ": '" + bucket + "' is not an S3 bucket name (3-63 characters of a-z, 0-9, '.', '-')");
        }
        adminRole = variable(ADMIN_ROLE, "arn:aws:iam::123456789012:role/pet-shop-admin");
        buyerRole = variable(BUYER_ROLE, "arn:aws:iam::123456789012:role/pet-shop-buyer");
        String loopback = variable(METRICS_LOOPBACK, "true");
        if (!loopback.equals("true") && !loopback.equals("false")) {
            throw new IllegalStateException(METRICS_LOOPBACK + ": '" + loopback + "' is neither true nor false");
        }
        metricsOnLoopback = Boolean.parseBoolean(loopback);
    }

    /** Whether a scraper on this host gets {@code /admin/metrics} without a token. By default, true. */
    public boolean metricsOnLoopback() {
        return metricsOnLoopback;
    }

    /** The invoke URL of the pets API's stage, ending in {@code /}: {@code https://<api>.execute-api.<region>.amazonaws.com/<stage>/}. */
    public URI petsApi() {
        return petsApi;
    }

    /** The bucket in which every user has a folder named by the user's subject. */
    public String bucket() {
        return bucket;
    }

    /** The role that may add and remove pets (its ARN). */
    public String adminRole() {
        return adminRole;
    }

    /** The role that may buy pets (its ARN). */
    public String buyerRole() {
        return buyerRole;
    }

    private static URI petsApi(String value) {
        try {
            if (value.isEmpty()) {
                throw new URISyntaxException(value, "empty");
            }
            URI uri = new URI(value.endsWith("/") ? value : value + "/");
            if (uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // Reported below.
        }
        throw new IllegalStateException(PETS_API + ": '" + value + "' is not a URL; set it to the invoke URL of the pets API's"
                + " stage, https://<api-id>.execute-api.<region>.amazonaws.com/<stage>");
    }

    // As the filter reads ${NAME} in aws-delegation.yaml: the system property, else the environment variable, each
    // taken as it is when set (an empty value is a value, which the checks above then refuse).
    private static String variable(String name, String fallback) {
        String value = System.getProperty(name);
        if (value == null) {
            value = System.getenv(name);
        }
        if (value != null) {
            return value.strip();
        }
        if (fallback == null) {
            throw new IllegalStateException(name + " is not set: set it as a system property or environment variable"
                    + " (docs/sample.md lists the variables)");
        }
        return fallback;
    }
}

package io.github.awsdelegation.config;

import io.github.awsdelegation.DelegationException;

/**
 * Thrown when the configuration is wrong. It is raised while the filter starts, so the deployment fails
 * with a message naming the key (e.g. {@code oidc.issuer}) and how to fix it.
 */
public class ConfigurationException extends DelegationException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigurationException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public ConfigurationException(String key, String message, Throwable cause) {
        super(key + ": " + message, cause);
        this.key = key;
    }

    /** Returns the configuration key at fault, e.g. {@code rules[1].roles[0].arn}. */
    public String key() {
        return key;
    }
}

package io.github.awsdelegation.config;

import io.github.awsdelegation.DelegationException;

/**
 * Thrown when the configuration is wrong. It is raised while the filter starts, so the deployment fails
 * with a message naming the key (e.g. {@code oidc.issuer}) and how to fix it. Met while serving a request (a rule
 * in code granted a role whose scoping cannot work), it is answered 500 with a pointer to the server log.
 */
public class ConfigurationException extends DelegationException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String reason;

    public ConfigurationException(String key, String message) {
        this(key, message, null);
    }

    public ConfigurationException(String key, String message, Throwable cause) {
        super(key + ": " + message, cause);
        this.key = key;
        this.reason = message;
    }

    /** Returns the configuration key at fault, e.g. {@code rules[1].roles[0].arn}. */
    public String key() {
        return key;
    }

    /** Returns what is wrong and how to fix it, without the key: for a message that names the key its own way. */
    public String reason() {
        return reason;
    }
}

package io.github.awsdelegation.scope;

import io.github.awsdelegation.config.ConfigurationException;

/**
 * Thrown when a role's scoping configuration cannot work: an unknown variable, a tag key STS would refuse, tags on a
 * role whose STS operation takes none. A {@link ConfigurationException} whose {@link #key()} is relative to the role
 * (e.g. {@code tags.team}), so that whoever knows the role reports the full key: the configuration loader
 * ({@code rules[0].roles[1].tags.team}) or the service, for a rule in code.
 */
public class ScopeConfigurationException extends ConfigurationException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception for a key relative to the role, e.g. {@code tags.team}. */
    public ScopeConfigurationException(String key, String message) {
        super(key, message);
    }
}

package io.github.awsdelegation.scope;

/**
 * Thrown when a role's scoping configuration cannot work: an unknown variable, a tag key STS would refuse, tags on a
 * role whose STS operation takes none. {@link #key()} names the configuration key relative to the role, so that the
 * configuration loader can report it in full.
 */
public class ScopeConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /** Creates the exception for a key relative to the role, e.g. {@code tags.team}. */
    public ScopeConfigurationException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** Returns the configuration key relative to the role, e.g. {@code sourceIdentity}. */
    public String key() {
        return key;
    }
}

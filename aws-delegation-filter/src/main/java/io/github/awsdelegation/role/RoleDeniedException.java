package io.github.awsdelegation.role;

import io.github.awsdelegation.AccessDeniedException;
import java.util.Optional;

/**
 * Thrown when no rule grants the user a role, when the client requested a role the rules do not permit,
 * or when STS refuses the role for a reason the app's configuration must fix: an {@link AccessDeniedException}
 * (403), which says which rule refused when one did.
 */
public class RoleDeniedException extends AccessDeniedException {

    private static final long serialVersionUID = 1L;

    private final String ruleId;

    public RoleDeniedException(String message) {
        super(message, null);
        this.ruleId = null;
    }

    public RoleDeniedException(String message, Throwable cause) {
        super(message, cause);
        this.ruleId = null;
    }

    /**
     * Creates the exception for a refusal by a known rule, e.g. a requested role the rule does not permit.
     *
     * @param message what was refused and why
     * @param ruleId  the rule that decided
     */
    public RoleDeniedException(String message, String ruleId) {
        super(message, null);
        this.ruleId = ruleId;
    }

    /** Returns the rule that refused, when one did (not when no rule matches the user). */
    public Optional<String> ruleId() {
        return Optional.ofNullable(ruleId);
    }
}

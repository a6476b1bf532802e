package io.github.awsdelegation.role;

import io.github.awsdelegation.DelegationException;

/**
 * Thrown when no rule grants the user a role, when the client requested a role the rules do not permit,
 * or when STS refuses the role for a reason the app's configuration must fix. The servlet layer answers
 * 403 with the message.
 */
public class RoleDeniedException extends DelegationException {

    private static final long serialVersionUID = 1L;

    public RoleDeniedException(String message) {
        super(message);
    }

    public RoleDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}

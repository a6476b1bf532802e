package io.github.awsdelegation.sts.internal;

import io.github.awsdelegation.role.RoleDeniedException;

/**
 * Thrown when STS refuses the requested duration because it exceeds the role's {@code MaxSessionDuration} (or the
 * 1-hour limit of role chaining). The module retries once with 1 hour and remembers that for the role
 * ({@link io.github.awsdelegation.scope.internal.SessionDurations}); only when that fails too does the user see a 403.
 */
public class SessionDurationExceededException extends RoleDeniedException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with STS's message. */
    public SessionDurationExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}

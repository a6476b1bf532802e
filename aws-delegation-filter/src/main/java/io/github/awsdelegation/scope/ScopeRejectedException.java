package io.github.awsdelegation.scope;

import io.github.awsdelegation.AccessDeniedException;

/**
 * Thrown when the scoping configured for a role cannot be applied to a user within STS's limits, for
 * example when the rendered session policy is longer than STS accepts. It is detected before STS is
 * called. It is an {@link AccessDeniedException} (403); the message names the rule and the limit.
 */
public class ScopeRejectedException extends AccessDeniedException {

    private static final long serialVersionUID = 1L;

    public ScopeRejectedException(String message) {
        super(message, null);
    }
}

package io.github.awsdelegation;

/**
 * Thrown when the user is known but may not have what was asked for: the servlet layer answers 403 with the message.
 * Its kinds say why: {@link io.github.awsdelegation.role.RoleDeniedException} (no rule grants the role, or STS refuses
 * it for a reason the configuration must fix) and {@link io.github.awsdelegation.scope.ScopeRejectedException} (the
 * role's scoping cannot be applied to this user within STS's limits). Catch this type to answer a refusal; catch a
 * kind only to tell them apart.
 */
public abstract class AccessDeniedException extends DelegationException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused and why
     * @param cause   what refused it (STS's answer, say), or {@code null}
     */
    protected AccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}

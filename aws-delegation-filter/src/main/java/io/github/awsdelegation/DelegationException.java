package io.github.awsdelegation;

/**
 * The root of the module's unchecked exceptions. Each subclass stands for one meaning, and the servlet
 * layer maps each meaning to one HTTP answer:
 * <ul>
 * <li>{@link io.github.awsdelegation.token.TokenRejectedException}: the ID token is not acceptable (401);</li>
 * <li>{@link io.github.awsdelegation.role.RoleDeniedException}: no role, or not the requested one (403);</li>
 * <li>{@link io.github.awsdelegation.sts.CredentialsUnavailableException}: STS could not be used (503);</li>
 * <li>{@link io.github.awsdelegation.config.ConfigurationException}: the configuration is wrong (fails
 *     the deployment).</li>
 * </ul>
 * Messages say what was rejected and why. They never contain a token, an assertion, a secret key or a
 * session token, so they are safe to log and to show to a developer.
 */
public abstract class DelegationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected DelegationException(String message) {
        super(message);
    }

    protected DelegationException(String message, Throwable cause) {
        super(message, cause);
    }
}

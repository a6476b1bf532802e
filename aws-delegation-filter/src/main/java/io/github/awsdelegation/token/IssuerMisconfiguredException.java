package io.github.awsdelegation.token;

/**
 * Thrown when the OpenID Provider answers, but what it says contradicts the configuration: its
 * discovery document names another issuer than the configured one (OpenID Connect Discovery 1.0 §4.3
 * requires them to be identical), or it has no usable {@code jwks_uri}. Retrying does not help; the
 * configuration must change.
 *
 * <p>It is an {@link IssuerUnavailableException}, so a request that meets it is answered 503 like any
 * other issuer failure; {@link IdTokenValidator#discover()} at start-up lets the filter tell the two
 * apart and fail the deployment on this one only.
 */
public class IssuerMisconfiguredException extends IssuerUnavailableException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what contradicts the configuration, and how to fix it
     */
    public IssuerMisconfiguredException(String message) {
        super(message);
    }
}

package io.github.awsdelegation.token;

import io.github.awsdelegation.DelegationException;

/**
 * Thrown when an ID token is missing, malformed, badly signed or fails one of the checks of
 * OIDC Core §3.1.3.7 and RFC 8725. The servlet layer answers 401 with
 * {@code WWW-Authenticate: Bearer error="invalid_token"}.
 *
 * <p>The message names the failed check ("ID token rejected: audience ...") and never contains the
 * token itself.
 */
public class TokenRejectedException extends DelegationException {

    private static final long serialVersionUID = 1L;

    public TokenRejectedException(String message) {
        super(message);
    }

    public TokenRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}

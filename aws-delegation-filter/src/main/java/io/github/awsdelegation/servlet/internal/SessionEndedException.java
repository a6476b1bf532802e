package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.token.TokenRejectedException;

/**
 * The built-in login's session cannot continue: idle or too old, or the provider refused to renew the ID token. The
 * user signs in again; a browser navigation is sent to the login, a script's request gets 401 {@code login_required}.
 */
public final class SessionEndedException extends TokenRejectedException {

    private static final long serialVersionUID = 1L;

    SessionEndedException(String message) {
        super(message);
    }
}

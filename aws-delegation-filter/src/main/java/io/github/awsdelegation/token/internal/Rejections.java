package io.github.awsdelegation.token.internal;

import io.github.awsdelegation.token.TokenRejectedException;

/** Builds {@link TokenRejectedException}s whose messages all read "ID token rejected: {@code reason}". */
public final class Rejections {

    /** The start of every rejection message, in the manner of Nimbus's "Signed JWT rejected: ...". */
    public static final String PREFIX = "ID token rejected: ";

    private Rejections() {
    }

    /**
     * Returns the exception for a reason. The reason must not contain the token or any part of it; values
     * read from the token go through {@link SafeText#quote(Object)}.
     */
    public static TokenRejectedException rejected(String reason) {
        return new TokenRejectedException(PREFIX + reason);
    }
}

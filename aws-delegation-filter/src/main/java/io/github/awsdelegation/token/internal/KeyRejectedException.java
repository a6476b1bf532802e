package io.github.awsdelegation.token.internal;

import com.nimbusds.jose.KeySourceException;

/**
 * Raised by {@link IssuerKeySelector} when no key of the issuer's JWKS may verify the token: none has its
 * {@code kid}, or the one that has is too weak or of the wrong kind. It is the token's fault (401),
 * unlike a JWKS that cannot be fetched (503); the message is the reason alone.
 */
public final class KeyRejectedException extends KeySourceException {

    private static final long serialVersionUID = 1L;

    KeyRejectedException(String reason) {
        super(reason);
    }
}

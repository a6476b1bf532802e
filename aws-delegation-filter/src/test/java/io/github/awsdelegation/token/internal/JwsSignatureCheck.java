package io.github.awsdelegation.token.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.Payload;
import io.github.awsdelegation.token.TokenRejectedException;
import java.security.Key;
import java.text.ParseException;
import java.util.List;
import java.util.Set;

/**
 * The JWS layer of ID token validation on its own: shape, header rules, key selection from the issuer's
 * keys and signature verification, with exactly the components {@link io.github.awsdelegation.token.IdTokenValidator}
 * uses ({@link TokenPrechecks}, {@link IssuerKeySelector}, {@link IdTokenVerifierFactory}), and no claim
 * checks. It exists so that JWS test vectors whose payloads are not JWTs (Wycheproof) can be run through
 * the module's own verification configuration.
 */
public final class JwsSignatureCheck {

    private final Set<JWSAlgorithm> algorithms;
    private final IssuerKeySelector keySelector;
    private final IdTokenVerifierFactory verifierFactory = new IdTokenVerifierFactory();

    /**
     * Creates the check.
     *
     * @param algorithms the allowed algorithms
     * @param keys       the issuer's keys
     */
    public JwsSignatureCheck(Set<JWSAlgorithm> algorithms, IssuerKeys keys) {
        this.algorithms = Set.copyOf(algorithms);
        this.keySelector = new IssuerKeySelector(algorithms, keys);
    }

    /**
     * Verifies a compact JWS and returns its payload.
     *
     * @throws TokenRejectedException naming the first check that fails
     */
    public Payload verify(String compact) {
        TokenPrechecks.checkShape(compact);
        TokenPrechecks.checkHeader(compact, algorithms);
        JWSObject jws;
        try {
            jws = JWSObject.parse(compact);
        } catch (ParseException | RuntimeException e) {
            throw Rejections.rejected("not a valid JWS");
        }
        List<? extends Key> keys;
        try {
            keys = keySelector.selectJWSKeys(jws.getHeader(), null);
        } catch (KeyRejectedException e) {
            throw Rejections.rejected(e.getMessage());
        } catch (com.nimbusds.jose.KeySourceException e) {
            throw Rejections.rejected("the issuer's keys cannot be read: " + e.getMessage());
        }
        for (Key key : keys) {
            try {
                if (jws.verify(verifierFactory.createJWSVerifier(jws.getHeader(), key))) {
                    return jws.getPayload();
                }
            } catch (JOSEException | RuntimeException e) {
                // A key that cannot verify this signature is no different from a failed verification.
            }
        }
        throw Rejections.rejected("invalid signature");
    }
}

package io.github.awsdelegation.token.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;

/**
 * EdDSA (RFC 8037) verification with the JDK's own Ed25519/Ed448 (Java 15+). Nimbus verifies EdDSA only
 * through Google Tink, an optional dependency we do not want to impose, and its
 * {@code DefaultJWSVerifierFactory} has no EdDSA at all.
 */
public final class EdDsaSupport {

    /** The EdDSA JWS algorithms: RFC 8037's polymorphic {@code EdDSA} and the fully specified ones. */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519, JWSAlgorithm.Ed448);

    // SubjectPublicKeyInfo DER prefixes (RFC 8410 §4) to put before the raw public key.
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final byte[] ED448_SPKI_PREFIX = {0x30, 0x43, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x03, 0x3a, 0x00};

    private EdDsaSupport() {
    }

    /** Returns the curves an EdDSA algorithm may be used with. */
    static Set<Curve> curvesFor(JWSAlgorithm algorithm) {
        if (JWSAlgorithm.Ed25519.equals(algorithm)) {
            return Set.of(Curve.Ed25519);
        }
        if (JWSAlgorithm.Ed448.equals(algorithm)) {
            return Set.of(Curve.Ed448);
        }
        return Set.of(Curve.Ed25519, Curve.Ed448);
    }

    /**
     * Converts the public part of an OKP JWK to a JDK public key.
     *
     * @throws JOSEException when the curve is not Ed25519/Ed448 or the key has the wrong length
     */
    static PublicKey toPublicKey(OctetKeyPair jwk) throws JOSEException {
        byte[] prefix;
        int length;
        if (Curve.Ed25519.equals(jwk.getCurve())) {
            prefix = ED25519_SPKI_PREFIX;
            length = 32;
        } else if (Curve.Ed448.equals(jwk.getCurve())) {
            prefix = ED448_SPKI_PREFIX;
            length = 57;
        } else {
            throw new JOSEException("not an EdDSA curve: " + jwk.getCurve());
        }
        byte[] x = jwk.getDecodedX();
        if (x.length != length) {
            throw new JOSEException("public key of " + x.length + " bytes, " + length + " expected for " + jwk.getCurve());
        }
        byte[] der = new byte[prefix.length + length];
        System.arraycopy(prefix, 0, der, 0, prefix.length);
        System.arraycopy(x, 0, der, prefix.length, length);
        try {
            return KeyFactory.getInstance("EdDSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new JOSEException("invalid EdDSA public key", e);
        }
    }

    /** A JWS verifier for one EdDSA public key. */
    static final class Verifier implements JWSVerifier {

        private final EdECPublicKey key;
        private final JCAContext jcaContext = new JCAContext();

        Verifier(EdECPublicKey key) {
            this.key = key;
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
            if (!ALGORITHMS.contains(header.getAlgorithm())) {
                throw new JOSEException("unsupported JWS algorithm for an EdDSA key: " + header.getAlgorithm());
            }
            try {
                Signature verifier = Signature.getInstance("EdDSA");
                verifier.initVerify(key);
                verifier.update(signingInput);
                return verifier.verify(signature.decode());
            } catch (SignatureException e) {
                return false; // a malformed signature is an invalid one
            } catch (GeneralSecurityException e) {
                throw new JOSEException("EdDSA verification failed: " + e.getMessage(), e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return ALGORITHMS;
        }

        @Override
        public JCAContext getJCAContext() {
            return jcaContext;
        }
    }
}

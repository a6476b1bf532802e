package io.github.awsdelegation.token.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.JWSKeySelector;
import java.security.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Selects the keys that may verify a token: only from the issuer's JWKS, by the header's {@code kid}
 * and key type, and only keys fit for the header's {@code alg} (RFC 8725 §3.1: the algorithm and the key
 * must belong together). A key is refused, not merely skipped, when it is:
 * <ul>
 * <li>meant for something else ({@code use} not {@code sig}, {@code key_ops} without {@code verify},
 *     {@code alg} naming another algorithm);</li>
 * <li>an RSA key under 2048 bits (RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used");</li>
 * <li>an EC or OKP key on a curve other than the algorithm's (RFC 7518 §3.4, RFC 8037 §3.1);</li>
 * <li>published with its private part, since anyone could then sign tokens.</li>
 * </ul>
 * The strength checks are on the key, so a weak key in the JWKS is refused whatever token names it.
 */
public final class IssuerKeySelector implements JWSKeySelector<ValidationContext> {

    /** The smallest RSA modulus accepted, in bits. */
    public static final int MIN_RSA_KEY_BITS = 2048;

    private final Set<JWSAlgorithm> algorithms;
    private final IssuerKeys keys;

    /**
     * Creates the selector.
     *
     * @param algorithms the allowed algorithms
     * @param keys       the issuer's keys
     */
    public IssuerKeySelector(Set<JWSAlgorithm> algorithms, IssuerKeys keys) {
        this.algorithms = Set.copyOf(algorithms);
        this.keys = keys;
    }

    @Override
    public List<? extends Key> selectJWSKeys(JWSHeader header, ValidationContext context) throws KeySourceException {
        JWSAlgorithm alg = header.getAlgorithm();
        if (!algorithms.contains(alg)) {
            // Checked before already; kept so that this class is safe on its own.
            throw new KeyRejectedException("algorithm " + SafeText.quote(alg) + " is not allowed; allowed: " + algorithms);
        }
        KeyType keyType = KeyType.forAlgorithm(alg);
        String kid = header.getKeyID();
        // Matching on kid and type only, so that "no match" means the key is unknown and worth a refetch;
        // a known key of the wrong kind is reported below rather than refetched for.
        List<JWK> candidates = keys.select(new JWKSelector(new JWKMatcher.Builder().keyType(keyType).keyID(kid).build()));
        if (candidates.isEmpty()) {
            throw new KeyRejectedException(kid == null
                    ? "the token has no kid and the issuer's JWKS has no " + keyType + " key"
                    : "no " + keyType + " key with kid " + SafeText.quote(kid) + " in the issuer's JWKS");
        }
        List<Key> usable = new ArrayList<>();
        String firstProblem = null;
        for (JWK candidate : candidates) {
            String problem = problemWith(candidate, alg);
            if (problem == null) {
                usable.add(toPublicKey(candidate));
            } else if (firstProblem == null) {
                firstProblem = problem;
            }
        }
        if (usable.isEmpty()) {
            throw new KeyRejectedException(firstProblem);
        }
        return usable;
    }

    private static String problemWith(JWK jwk, JWSAlgorithm alg) {
        String key = "the issuer's " + jwk.getKeyType() + " key " + (jwk.getKeyID() == null ? "without kid" : "kid " + SafeText.quote(jwk.getKeyID()));
        if (jwk.isPrivate()) {
            return key + " is published with its private part, so anyone could sign with it";
        }
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return key + " is for use " + SafeText.quote(jwk.getKeyUse().identifier()) + ", not sig";
        }
        if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return key + " does not allow the verify operation";
        }
        if (jwk.getAlgorithm() != null && !alg.getName().equals(jwk.getAlgorithm().getName())) {
            return key + " is for " + SafeText.quote(jwk.getAlgorithm().getName()) + ", not " + alg;
        }
        if (jwk instanceof RSAKey rsa) {
            int bits = rsa.getModulus().decodeToBigInteger().bitLength();
            if (bits < MIN_RSA_KEY_BITS) {
                return key + " has " + bits + " bits, fewer than the " + MIN_RSA_KEY_BITS + " required";
            }
        } else if (jwk instanceof ECKey ec) {
            Set<Curve> curves = Curve.forJWSAlgorithm(alg);
            if (curves == null || !curves.contains(ec.getCurve())) {
                return key + " is on curve " + ec.getCurve() + ", but " + alg + " requires " + curves;
            }
        } else if (jwk instanceof OctetKeyPair okp) {
            Set<Curve> curves = EdDsaSupport.curvesFor(alg);
            if (!curves.contains(okp.getCurve())) {
                return key + " is on curve " + okp.getCurve() + ", but " + alg + " requires one of " + curves;
            }
        } else {
            return key + " is not a public key type this validator supports";
        }
        return null;
    }

    private static Key toPublicKey(JWK jwk) throws KeyRejectedException {
        try {
            if (jwk instanceof RSAKey rsa) {
                return rsa.toRSAPublicKey();
            }
            if (jwk instanceof ECKey ec) {
                return ec.toECPublicKey();
            }
            return EdDsaSupport.toPublicKey((OctetKeyPair) jwk);
        } catch (JOSEException | RuntimeException e) {
            throw new KeyRejectedException("the issuer's key " + SafeText.quote(jwk.getKeyID()) + " is not a valid public key");
        }
    }
}

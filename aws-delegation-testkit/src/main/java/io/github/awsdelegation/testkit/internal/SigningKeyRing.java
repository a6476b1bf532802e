package io.github.awsdelegation.testkit.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The RSA signing keys of the local identity provider: the current key first, then keys kept after a
 * rotation. The first key is the one published first, which matters to Ceph RGW (it uses only the first).
 */
public final class SigningKeyRing {

    /** RSA modulus size in bits; RFC 8725 and AWS ask for at least 2048. */
    public static final int KEY_SIZE = 2048;

    private final String commonName;
    private volatile List<RSAKey> keys;

    /** Creates a ring with one fresh key whose certificate names {@code commonName}. */
    public SigningKeyRing(String commonName, Instant now) {
        this.commonName = commonName;
        this.keys = List.of(generate(commonName, now));
    }

    /** Returns the current signing key (with its private part). */
    public RSAKey current() {
        return keys.get(0);
    }

    /** Returns all published keys, current first (with private parts). */
    public List<RSAKey> all() {
        return keys;
    }

    /**
     * Makes a new current key; the previous keys stay published after it when {@code keepOld}.
     */
    public synchronized void rotate(boolean keepOld, Instant now) {
        List<RSAKey> next = new ArrayList<>();
        next.add(generate(commonName, now));
        if (keepOld) {
            next.addAll(keys);
        }
        keys = List.copyOf(next);
    }

    /** Returns the public JWK set, as served at the JWKS endpoint. */
    public JWKSet publicJwkSet() {
        List<JWK> published = new ArrayList<>();
        for (RSAKey key : keys) {
            published.add(key.toPublicJWK());
        }
        return new JWKSet(published);
    }

    /** Generates a fresh 2048-bit RSA key pair. */
    public static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_SIZE);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate RSA keys", e);
        }
    }

    /**
     * Generates an RS256 signing JWK with a self-signed certificate in {@code x5c}, an {@code x5t#S256}
     * and the RFC 7638 thumbprint as {@code kid}.
     */
    public static RSAKey generate(String commonName, Instant now) {
        KeyPair pair = generateKeyPair();
        X509Certificate certificate = SelfSignedCertificates.create(pair, commonName, now);
        try {
            byte[] der = certificate.getEncoded();
            return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .x509CertChain(List.of(Base64.encode(der)))
                    .x509CertSHA256Thumbprint(Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(der)))
                    .keyIDFromThumbprint()
                    .build();
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("cannot build the signing JWK", e);
        }
    }
}

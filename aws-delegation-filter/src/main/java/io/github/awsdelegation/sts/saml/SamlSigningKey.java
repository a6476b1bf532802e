package io.github.awsdelegation.sts.saml;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The key this module signs SAML assertions with, and the certificate published for it in the IdP metadata
 * (which IAM keeps in the SAML provider and checks every assertion's signature against), plus any further
 * certificates published during a key rotation.
 *
 * <p>Only RSA keys of at least {@value #MIN_RSA_BITS} bits are accepted, as AWS recommends; the certificate
 * must hold the key's public half. {@link #toString()} shows the certificate's subject and fingerprint, never
 * the key.
 */
public final class SamlSigningKey {

    /** The smallest RSA modulus accepted, in bits: {@value}. */
    public static final int MIN_RSA_BITS = 2048;

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final List<X509Certificate> rotationCertificates;

    private SamlSigningKey(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> rotationCertificates) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.rotationCertificates = rotationCertificates;
    }

    /**
     * Returns a signing key.
     *
     * @param privateKey           an RSA private key of at least {@value #MIN_RSA_BITS} bits
     * @param certificate          the certificate of its public key
     * @param rotationCertificates further certificates to publish in the metadata (the next key's before a
     *                             rotation, or the previous key's after it), each with an RSA key of at least
     *                             {@value #MIN_RSA_BITS} bits
     * @throws IllegalArgumentException when a key is not RSA, is too short, or the certificate does not match the
     *                                  private key
     */
    public static SamlSigningKey of(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> rotationCertificates) {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
        if (!"RSA".equals(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("the signing key is " + privateKey.getAlgorithm()
                    + "; AWS verifies SAML signatures with RSA keys: use an RSA key of at least " + MIN_RSA_BITS + " bits");
        }
        checkCertificate(certificate, "the signing certificate");
        for (X509Certificate c : rotationCertificates) {
            checkCertificate(c, "the rotation certificate " + c.getSubjectX500Principal().getName());
        }
        if (!matches(privateKey, certificate)) {
            throw new IllegalArgumentException("the signing certificate (" + certificate.getSubjectX500Principal().getName()
                    + ") does not belong to the private key: store the key with its own certificate");
        }
        return new SamlSigningKey(privateKey, certificate, List.copyOf(rotationCertificates));
    }

    private static void checkCertificate(X509Certificate certificate, String what) {
        if (!(certificate.getPublicKey() instanceof RSAPublicKey rsa)) {
            throw new IllegalArgumentException(what + " holds a " + certificate.getPublicKey().getAlgorithm()
                    + " key; AWS verifies SAML signatures with RSA keys of at least " + MIN_RSA_BITS + " bits");
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_RSA_BITS) {
            throw new IllegalArgumentException(what + " holds a " + bits + "-bit RSA key, which is too weak: use at least "
                    + MIN_RSA_BITS + " bits (keytool -genkeypair -keyalg RSA -keysize 3072 ...)");
        }
    }

    // The pair is proven by a signature, which works for any RSA key implementation (PKCS#11 included).
    private static boolean matches(PrivateKey privateKey, X509Certificate certificate) {
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Returns the private key. Only the assertion signer uses it. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Returns the certificate of the signing key, published first in the metadata. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Returns the further certificates published in the metadata for a key rotation; often empty. */
    public List<X509Certificate> rotationCertificates() {
        return rotationCertificates;
    }

    /** Returns the size of the RSA modulus in bits. */
    public int keySize() {
        return ((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength();
    }

    /** Returns the SHA-256 fingerprint of a certificate, lower-case hex, as {@code openssl x509 -fingerprint -sha256} shows it. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "unavailable";
        }
    }

    @Override
    public String toString() {
        return "SamlSigningKey[subject=" + certificate.getSubjectX500Principal().getName() + ", RSA " + keySize()
                + " bits, sha256=" + fingerprint(certificate) + ", notAfter=" + certificate.getNotAfter().toInstant()
                + ", rotationCertificates=" + rotationCertificates.size() + "]";
    }
}

package io.github.awsdelegation.sts.saml;

import io.github.awsdelegation.testkit.internal.SelfSignedCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Real RSA keys and self-signed certificates for SAML tests, made once per JVM (key generation is slow). */
public final class SamlTestKeys {

    /** The password of the keystores written by {@link #writePkcs12}. A test value, never a real secret. */
    public static final String PASSWORD = "test-keystore-password";

    private static KeyPair rsa2048;
    private static KeyPair otherRsa2048;
    private static SamlSigningKey signingKey;

    private SamlTestKeys() {
    }

    /** Returns the RSA 2048 key pair the tests sign with. */
    public static synchronized KeyPair rsa2048() {
        if (rsa2048 == null) {
            rsa2048 = generate("RSA", 2048);
        }
        return rsa2048;
    }

    /** Returns a second RSA 2048 key pair (a forger's, or the next key of a rotation). */
    public static synchronized KeyPair otherRsa2048() {
        if (otherRsa2048 == null) {
            otherRsa2048 = generate("RSA", 2048);
        }
        return otherRsa2048;
    }

    /** Generates a key pair of any algorithm and size (RSA 1024 for the weak-key tests, EC 256...). */
    public static KeyPair generate(String algorithm, int size) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(size);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns a self-signed SHA256withRSA certificate for an RSA key pair. */
    public static X509Certificate certificate(KeyPair keyPair, String commonName) {
        return SelfSignedCertificates.create(keyPair, commonName, Instant.now());
    }

    /** Returns the signing key of the tests: {@link #rsa2048()} with its certificate. */
    public static synchronized SamlSigningKey signingKey() {
        if (signingKey == null) {
            KeyPair pair = rsa2048();
            signingKey = SamlSigningKey.of(pair.getPrivate(), certificate(pair, "aws-delegation test IdP"), List.of());
        }
        return signingKey;
    }

    /** Writes a PKCS#12 keystore with one key entry under {@code alias}, protected by {@link #PASSWORD}. */
    public static Path writePkcs12(Path file, String alias, KeyPair pair, X509Certificate certificate) {
        return write(file, "PKCS12", alias, pair, certificate);
    }

    /** Writes a keystore of a type (PKCS12, JKS) with one key entry, protected by {@link #PASSWORD}. */
    public static Path write(Path file, String type, String alias, KeyPair pair, X509Certificate certificate) {
        try {
            KeyStore store = KeyStore.getInstance(type);
            store.load(null, null);
            store.setKeyEntry(alias, pair.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {certificate});
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns a certificate in PEM. */
    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.github.awsdelegation.testkit;

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
import java.time.Instant;

/**
 * Writes the keystore a SAML identity provider signs with (the module's {@code saml.keyStore}): a PKCS#12 file
 * holding one fresh RSA 2048 key and its self-signed certificate, for tests and demos. A real deployment makes
 * its own with {@code keytool} (docs/iam-setup.md).
 */
public final class SigningKeyStores {

    private SigningKeyStores() {
    }

    /**
     * Writes a new PKCS#12 keystore to {@code file} (creating its folder) and returns {@code file}.
     *
     * @param alias      the key's alias
     * @param password   the keystore's password, also the key's
     * @param commonName the certificate's {@code CN}
     * @throws UncheckedIOException when the file cannot be written
     */
    public static Path writePkcs12(Path file, String alias, String password, String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, pair.getPrivate(), password.toCharArray(),
                    new Certificate[] {SelfSignedCertificates.create(pair, commonName, Instant.now())});
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return file;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not make the signing key", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}

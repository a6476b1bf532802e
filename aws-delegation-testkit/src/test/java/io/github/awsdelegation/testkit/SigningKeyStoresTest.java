package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyStoresTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("writes a PKCS#12 keystore with one RSA 2048 key whose self-signed certificate verifies its signatures")
    void writesAUsableSigningKey() throws Exception {
        Path file = SigningKeyStores.writePkcs12(dir.resolve("nested/saml.p12"), "saml-signing", "demo-password", "test IdP");

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, "demo-password".toCharArray());
        }
        assertThat(java.util.Collections.list(store.aliases())).containsExactly("saml-signing");
        PrivateKey key = (PrivateKey) store.getKey("saml-signing", "demo-password".toCharArray());
        X509Certificate certificate = (X509Certificate) store.getCertificate("saml-signing");
        assertThat(((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=test IdP");
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(certificate);
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }
}

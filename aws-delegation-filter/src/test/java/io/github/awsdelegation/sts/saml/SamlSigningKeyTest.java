package io.github.awsdelegation.sts.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Only keys AWS can verify and that are strong enough, with their own certificate. */
class SamlSigningKeyTest {

    @Test
    void rsa2048_withItsCertificate_isAccepted() {
        SamlSigningKey key = SamlTestKeys.signingKey();

        assertThat(key.keySize()).isEqualTo(2048);
        assertThat(key.rotationCertificates()).isEmpty();
        assertThat(key.toString()).contains("CN=aws-delegation test IdP", "RSA 2048 bits", "sha256=")
                .doesNotContain(key.privateKey().toString());
    }

    @Test
    @DisplayName("an RSA key under 2048 bits is too weak")
    void weakKey_isRefused() {
        KeyPair weak = SamlTestKeys.generate("RSA", 1024);

        assertThatThrownBy(() -> SamlSigningKey.of(weak.getPrivate(), SamlTestKeys.certificate(weak, "weak"), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024-bit RSA key, which is too weak");
    }

    @Test
    void ecKey_isRefused() {
        KeyPair ec = SamlTestKeys.generate("EC", 256);

        assertThatThrownBy(() -> SamlSigningKey.of(ec.getPrivate(), SamlTestKeys.signingKey().certificate(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AWS verifies SAML signatures with RSA keys");
    }

    @Test
    @DisplayName("a certificate of another key is refused: the metadata would publish a key that does not sign")
    void mismatchedCertificate_isRefused() {
        KeyPair other = SamlTestKeys.otherRsa2048();

        assertThatThrownBy(() -> SamlSigningKey.of(SamlTestKeys.rsa2048().getPrivate(), SamlTestKeys.certificate(other, "other"),
                List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to the private key");
    }

    @Test
    void weakRotationCertificate_isRefused() {
        KeyPair weak = SamlTestKeys.generate("RSA", 1024);

        assertThatThrownBy(() -> SamlSigningKey.of(SamlTestKeys.rsa2048().getPrivate(), SamlTestKeys.signingKey().certificate(),
                List.of(SamlTestKeys.certificate(weak, "next"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the rotation certificate");
    }
}

package io.github.awsdelegation.sts.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.sts.saml.internal.SamlMetadata;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The metadata IAM's create-saml-provider reads. */
class SamlMetadataTest {

    static final URI SSO = URI.create("https://shop.example.com/app/saml/console");

    @Test
    @DisplayName("entity ID, signing certificate, persistent NameID, SSO location; UTF-8 without a byte order mark")
    void document() throws Exception {
        SamlSettings settings = SamlSettingsTest.valid().build();

        byte[] bytes = new SamlMetadata(settings).document(SSO);
        SamlXml xml = SamlXml.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));

        assertThat(bytes[0]).as("no BOM; an XML declaration first").isEqualTo((byte) '<');
        assertThat(new String(bytes, 0, 38, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        assertThat(xml.text("/md:EntityDescriptor/@entityID")).isEqualTo("https://shop.example.com/saml");
        String idp = "/md:EntityDescriptor/md:IDPSSODescriptor";
        assertThat(xml.text(idp + "/@protocolSupportEnumeration")).isEqualTo("urn:oasis:names:tc:SAML:2.0:protocol");
        assertThat(xml.texts(idp + "/md:KeyDescriptor/@use")).containsExactly("signing");
        assertThat(xml.text(idp + "/md:KeyDescriptor/ds:KeyInfo/ds:X509Data/ds:X509Certificate").replaceAll("\\s", ""))
                .isEqualTo(Base64.getEncoder().encodeToString(settings.signingKey().certificate().getEncoded()));
        assertThat(xml.texts(idp + "/md:NameIDFormat")).containsExactly("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");
        assertThat(xml.texts(idp + "/md:SingleSignOnService/@Location")).containsOnly(SSO.toString());
        assertThat(xml.texts(idp + "/md:SingleSignOnService/@Binding")).containsExactly(
                "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("PRIVATE");
    }

    @Test
    @DisplayName("a rotation certificate is published as a second signing key, after the current one")
    void rotation() throws Exception {
        KeyPair next = SamlTestKeys.otherRsa2048();
        X509Certificate nextCertificate = SamlTestKeys.certificate(next, "next");
        SamlSettings settings = SamlSettingsTest.valid().signingKey(SamlSigningKey.of(SamlTestKeys.rsa2048().getPrivate(),
                SamlTestKeys.signingKey().certificate(), List.of(nextCertificate))).build();

        SamlXml xml = SamlXml.parse(new SamlMetadata(settings).xml(SSO));

        assertThat(xml.texts("//md:KeyDescriptor[@use='signing']//ds:X509Certificate")).extracting(s -> s.replaceAll("\\s", ""))
                .containsExactly(Base64.getEncoder().encodeToString(SamlTestKeys.signingKey().certificate().getEncoded()),
                        Base64.getEncoder().encodeToString(nextCertificate.getEncoded()));
    }

    @Test
    void document_isACopy() {
        SamlMetadata metadata = new SamlMetadata(SamlSettingsTest.valid().build());
        byte[] first = metadata.document(SSO);
        first[0] = 'X';

        assertThat(metadata.document(SSO)[0]).isEqualTo((byte) '<');
    }
}

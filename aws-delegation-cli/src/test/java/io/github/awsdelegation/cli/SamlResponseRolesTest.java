package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SamlResponseRolesTest {

    static String encode(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void of_readsEveryRoleValue_inOrder() {
        String xml = """
                <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">
                <saml2:Assertion><saml2:AttributeStatement>
                <saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml2:AttributeValue>x</saml2:AttributeValue></saml2:Attribute>
                <saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role">
                <saml2:AttributeValue>arn:aws:iam::123456789012:role/a,arn:aws:iam::123456789012:saml-provider/p</saml2:AttributeValue>
                <saml2:AttributeValue>arn:aws:iam::123456789012:saml-provider/p,arn:aws:iam::123456789012:role/b</saml2:AttributeValue>
                </saml2:Attribute></saml2:AttributeStatement></saml2:Assertion></samlp:Response>""";

        assertThat(SamlResponseRoles.of(encode(xml))).extracting(SamlRole::roleName).containsExactly("a", "b");
    }

    @Test
    void of_doctype_isRefused() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";

        assertThatThrownBy(() -> SamlResponseRoles.of(encode(xml))).isInstanceOf(CliException.class)
                .hasMessageContaining("the app's SAML response cannot be read").hasMessageContaining("DOCTYPE");
    }
}

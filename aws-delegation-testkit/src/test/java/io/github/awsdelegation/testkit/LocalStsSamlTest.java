package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.awsdelegation.testkit.internal.SecureXml;
import io.github.awsdelegation.testkit.internal.SelfSignedCertificates;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithSamlResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * LocalSts's AssumeRoleWithSAML on its own: IdP metadata registration (as IAM CreateSAMLProvider), a response signed
 * with the JDK's XML signature API accepted, and the main refusals. (The filter module's tests cover the module's
 * own responses against it in depth.)
 */
class LocalStsSamlTest {

    static final String PROVIDER = "arn:aws:iam::123456789012:saml-provider/test-idp";
    static final String ROLE = "arn:aws:iam::123456789012:role/saml-user";
    static final String ENTITY_ID = "https://idp.example.com/saml";

    static KeyPair key;
    static X509Certificate certificate;
    static LocalSts sts;
    static StsClient client;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        key = generator.generateKeyPair();
        certificate = SelfSignedCertificates.create(key, "test IdP", Instant.now());
        sts = LocalSts.builder().samlProvider(PROVIDER, metadata(ENTITY_ID, certificate))
                .role(LocalRole.trustingSaml(ROLE, PROVIDER)).start();
        client = TestSupport.stsClient(sts);
    }

    @AfterAll
    static void stop() {
        client.close();
        sts.close();
    }

    static String metadata(String entityId, X509Certificate certificate) throws Exception {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\""
                + " entityID=\"" + entityId + "\"><md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
                + "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X509Data>"
                + "<ds:X509Certificate>" + Base64.getEncoder().encodeToString(certificate.getEncoded()) + "</ds:X509Certificate>"
                + "</ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="
                + "\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"https://idp.example.com/sso\"/>"
                + "</md:IDPSSODescriptor></md:EntityDescriptor>";
    }

    /** A SAML response for the role, its assertion signed (RSA-SHA256, exclusive C14N) with the JDK. */
    static String signedResponse(String role, KeyPair signer) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String xml = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r1\" Version=\"2.0\" IssueInstant=\""
                + now + "\" Destination=\"https://signin.aws.amazon.com/saml\"><samlp:Status><samlp:StatusCode"
                + " Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status>"
                + "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_a1\" Version=\"2.0\" IssueInstant=\"" + now
                + "\"><saml:Issuer>" + ENTITY_ID + "</saml:Issuer><saml:Subject><saml:NameID Format="
                + "\"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\">user-1</saml:NameID><saml:SubjectConfirmation Method="
                + "\"urn:oasis:names:tc:SAML:2.0:cm:bearer\"><saml:SubjectConfirmationData NotOnOrAfter=\"" + now.plusSeconds(300)
                + "\" Recipient=\"https://signin.aws.amazon.com/saml\"/></saml:SubjectConfirmation></saml:Subject>"
                + "<saml:Conditions NotBefore=\"" + now + "\" NotOnOrAfter=\"" + now.plusSeconds(300) + "\"><saml:AudienceRestriction>"
                + "<saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience></saml:AudienceRestriction></saml:Conditions>"
                + "<saml:AttributeStatement><saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/Role\"><saml:AttributeValue>"
                + role + "," + PROVIDER + "</saml:AttributeValue></saml:Attribute><saml:Attribute Name="
                + "\"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"><saml:AttributeValue>user-1</saml:AttributeValue>"
                + "</saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>";
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element assertion = (Element) doc.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "Assertion").item(0);
        assertion.setIdAttributeNS(null, "ID", true);
        XMLSignatureFactory dsig = XMLSignatureFactory.getInstance("DOM");
        var reference = dsig.newReference("#_a1", dsig.newDigestMethod(DigestMethod.SHA256, null),
                List.of(dsig.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                        dsig.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)), null, null);
        var signedInfo = dsig.newSignedInfo(dsig.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE,
                (C14NMethodParameterSpec) null), dsig.newSignatureMethod(SignatureMethod.RSA_SHA256, null), List.of(reference));
        // The signature goes after the Issuer, as the SAML schema orders it.
        DOMSignContext context = new DOMSignContext(signer.getPrivate(), assertion, assertion.getFirstChild().getNextSibling());
        dsig.newXMLSignature(signedInfo, null).sign(context);
        StringWriter out = new StringWriter();
        TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc), new StreamResult(out));
        return out.toString();
    }

    static AssumeRoleWithSamlResponse present(String xml) {
        return client.assumeRoleWithSAML(b -> b.roleArn(ROLE).principalArn(PROVIDER)
                .samlAssertion(Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    @DisplayName("a response signed by the registered IdP's key gets credentials, with STS's SAML answer fields")
    void signedResponse_isAccepted() throws Exception {
        AssumeRoleWithSamlResponse response = present(signedResponse(ROLE, key));

        assertThat(response.subject()).isEqualTo("user-1");
        assertThat(response.subjectType()).isEqualTo("persistent");
        assertThat(response.issuer()).isEqualTo(ENTITY_ID);
        assertThat(response.audience()).isEqualTo("https://signin.aws.amazon.com/saml");
        assertThat(response.nameQualifier()).isEqualTo(SamlProvider.nameQualifier(ENTITY_ID, "123456789012", "test-idp"));
        assertThat(response.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/saml-user/user-1");
        assertThat(sts.session(response.credentials().accessKeyId()).orElseThrow().provider()).isEqualTo(PROVIDER);
    }

    static java.net.http.HttpResponse<String> postToConsoleSignIn(String xml) throws Exception {
        String form = "SAMLResponse=" + java.net.URLEncoder.encode(Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8) + "&RelayState=" + java.net.URLEncoder.encode("https://console.aws.amazon.com/s3/", StandardCharsets.UTF_8);
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(sts.consoleSignInUrl())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("the console sign-in stand-in verifies the browser's SAML post as AWS would and shows the session it would open")
    void consoleSignIn_signedResponse_showsSession() throws Exception {
        int callsBefore = sts.calls().size();

        java.net.http.HttpResponse<String> page = postToConsoleSignIn(signedResponse(ROLE, key));

        assertThat(sts.consoleSignInUrl()).hasToString(sts.endpoint() + "/saml");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).contains("Local stand-in for AWS console sign-in",
                "<dd class=\"role-arn\">" + ROLE + "</dd>",
                "<dd class=\"assumed-role-arn\">arn:aws:sts::123456789012:assumed-role/saml-user/user-1</dd>",
                "<dd class=\"session-name\">user-1</dd>", "<dd class=\"session-duration\">1 h (3600 s)</dd>",
                "<dd class=\"principal-arn\">" + PROVIDER + "</dd>", "<code>https://console.aws.amazon.com/s3/</code>");
        assertThat(sts.calls()).as("a sign-in is not an STS call").hasSize(callsBefore);
    }

    @Test
    @DisplayName("the console sign-in stand-in refuses, as AWS would, a response signed by another key or naming a role that does not trust the provider")
    void consoleSignIn_otherKeyOrUntrustingRole_refused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);

        java.net.http.HttpResponse<String> otherKey = postToConsoleSignIn(signedResponse(ROLE, generator.generateKeyPair()));
        java.net.http.HttpResponse<String> unknownRole = postToConsoleSignIn(
                signedResponse("arn:aws:iam::123456789012:role/nobody", key));
        java.net.http.HttpResponse<String> get = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(sts.consoleSignInUrl()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(otherKey.statusCode()).isEqualTo(400);
        assertThat(otherKey.body()).contains("AWS would refuse this sign-in", "InvalidIdentityToken").doesNotContain("role-arn");
        assertThat(unknownRole.statusCode()).isEqualTo(403);
        assertThat(unknownRole.body()).contains("AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML");
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void otherKey_tampering_andUnknownProvider_areRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        StsException otherKey = catchThrowableOfType(StsException.class, () -> present(signedResponse(ROLE, generator.generateKeyPair())));
        StsException tampered = catchThrowableOfType(StsException.class, () -> present(signedResponse(ROLE, key)
                .replace(">user-1</saml:NameID>", ">admin</saml:NameID>")));
        StsException unknown = catchThrowableOfType(StsException.class, () -> client.assumeRoleWithSAML(b -> b.roleArn(ROLE)
                .principalArn("arn:aws:iam::123456789012:saml-provider/nobody").samlAssertion("PHg+PC94Pg==")));

        assertThat(otherKey.awsErrorDetails().errorMessage()).isEqualTo("Response signature invalid");
        assertThat(tampered.awsErrorDetails().errorMessage()).isEqualTo("Response signature invalid");
        assertThat(unknown.awsErrorDetails().errorCode()).isEqualTo("InvalidIdentityToken");
        assertThat(unknown.awsErrorDetails().errorMessage()).isEqualTo("Specified provider doesn't exist.");
    }

    @Test
    @DisplayName("metadata is parsed as IAM does: entity ID and signing certificates; BOM, DOCTYPE or no certificate is refused")
    void metadata_parsing() throws Exception {
        SamlProvider provider = SamlProvider.parse(PROVIDER, metadata(ENTITY_ID, certificate));
        String noCertificate = metadata(ENTITY_ID, certificate).replaceAll("<md:KeyDescriptor.*</md:KeyDescriptor>", "");

        assertThat(provider.entityId()).isEqualTo(ENTITY_ID);
        assertThat(provider.name()).isEqualTo("test-idp");
        assertThat(provider.certificates()).containsExactly(certificate);
        assertThatThrownBy(() -> SamlProvider.parse(PROVIDER, "\uFEFF" + metadata(ENTITY_ID, certificate)))
                .hasMessageContaining("byte order mark");
        assertThatThrownBy(() -> SamlProvider.parse(PROVIDER, "<!DOCTYPE x [<!ENTITY e \"e\">]>" + metadata(ENTITY_ID, certificate)
                .substring("<?xml version=\"1.0\" encoding=\"UTF-8\"?>".length())))
                .hasMessageStartingWith("Could not parse metadata");
        assertThatThrownBy(() -> SamlProvider.parse(PROVIDER, noCertificate)).hasMessageContaining("no signing certificate");
        assertThatThrownBy(() -> SamlProvider.parse("arn:aws:iam::123456789012:oidc-provider/x", metadata(ENTITY_ID, certificate)))
                .hasMessageContaining("not an IAM SAML provider ARN");
        assertThatThrownBy(() -> sts.addSamlProvider("arn:aws:iam::999999999999:saml-provider/x", metadata(ENTITY_ID, certificate)))
                .hasMessageContaining("not to this STS's account");
    }

    @Test
    void secureXml_refusesDoctype() {
        assertThatThrownBy(() -> SecureXml.parse("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DOCTYPE");
    }
}

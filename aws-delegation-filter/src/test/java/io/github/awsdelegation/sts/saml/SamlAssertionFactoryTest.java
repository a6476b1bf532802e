package io.github.awsdelegation.sts.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.Identities;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.scope.ScopeRejectedException;
import io.github.awsdelegation.scope.internal.RoleSessionNames;
import io.github.awsdelegation.sts.internal.Partition;
import io.github.awsdelegation.sts.saml.internal.AwsSamlAttributes;
import io.github.awsdelegation.testkit.FakeClock;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** What the signed SAML response says, read back with the JDK's XML APIs, against AWS's rules for assertions. */
class SamlAssertionFactoryTest {

    static final String ENTITY_ID = "https://shop.example.com/saml";
    static final String PROVIDER = "arn:aws:iam::123456789012:saml-provider/pet-shop";
    static final RoleGrant ADMIN = RoleGrant.builder("arn:aws:iam::123456789012:role/pet-shop-admin").principal(PROVIDER).build();
    static final RoleGrant BUYER = RoleGrant.builder("arn:aws:iam::123456789012:role/pet-shop-buyer").principal(PROVIDER).build();
    static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    final FakeClock clock = FakeClock.at(NOW.plusMillis(250));

    static SamlSettings.Builder settings() {
        return SamlSettings.builder().entityId(ENTITY_ID).signingKey(SamlTestKeys.signingKey());
    }

    static VerifiedIdentity admin() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "auth0|5f7c8ec7");
        claims.put("email", "admin@example.com");
        claims.put("email_verified", true);
        claims.put("groups", List.of("pet-admins", "staff"));
        claims.put("team", "blue");
        claims.put("auth_time", NOW.minus(Duration.ofMinutes(20)).getEpochSecond());
        claims.put("iat", NOW.minus(Duration.ofMinutes(2)).getEpochSecond());
        return new VerifiedIdentity("https://tenant.example.com/", "auth0|5f7c8ec7", ConnectionType.DATABASE,
                "Username-Password-Authentication", List.of("pet-admins", "staff"), "admin@example.com",
                NOW.plus(Duration.ofHours(1)), claims);
    }

    SamlXml create(SamlSettings settings, List<RoleGrant> roles) {
        return SamlXml.parse(new SamlAssertionFactory(settings, clock).create(admin(), roles, "auth0-5f7c8ec7",
                Duration.ofHours(2)).xml());
    }

    @Test
    @DisplayName("Issuer, persistent NameID, one bearer confirmation to the sign-in URL, audience, authn statement: as AWS requires")
    void create_followsAwsAssertionRules() {
        SamlXml xml = create(settings().build(), List.of(ADMIN));

        assertThat(xml.text("/samlp:Response/@Destination")).isEqualTo("https://signin.aws.amazon.com/saml");
        assertThat(xml.text("/samlp:Response/samlp:Status/samlp:StatusCode/@Value"))
                .isEqualTo("urn:oasis:names:tc:SAML:2.0:status:Success");
        assertThat(xml.nodes("/samlp:Response/saml:Assertion")).hasSize(1);
        String a = "/samlp:Response/saml:Assertion";
        assertThat(xml.text(a + "/@Version")).isEqualTo("2.0");
        assertThat(xml.text(a + "/@ID")).matches("_[0-9a-f]{40}").isNotEqualTo(xml.text("/samlp:Response/@ID"));
        assertThat(xml.text(a + "/@IssueInstant")).isEqualTo("2026-11-22T10:15:30.000Z");
        assertThat(xml.text(a + "/saml:Issuer")).isEqualTo(ENTITY_ID);
        assertThat(xml.text(a + "/saml:Subject/saml:NameID")).isEqualTo("auth0|5f7c8ec7");
        assertThat(xml.text(a + "/saml:Subject/saml:NameID/@Format")).isEqualTo("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent");
        assertThat(xml.nodes(a + "/saml:Subject/saml:SubjectConfirmation")).hasSize(1);
        assertThat(xml.text(a + "/saml:Subject/saml:SubjectConfirmation/@Method")).isEqualTo("urn:oasis:names:tc:SAML:2.0:cm:bearer");
        String data = a + "/saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData";
        assertThat(xml.text(data + "/@Recipient")).isEqualTo("https://signin.aws.amazon.com/saml");
        assertThat(xml.text(data + "/@NotOnOrAfter")).isEqualTo("2026-11-22T10:20:30.000Z");
        assertThat(xml.text(a + "/saml:Conditions/@NotBefore")).isEqualTo("2026-11-22T10:15:30.000Z");
        assertThat(xml.text(a + "/saml:Conditions/@NotOnOrAfter")).isEqualTo("2026-11-22T10:20:30.000Z");
        assertThat(xml.texts(a + "/saml:Conditions/saml:AudienceRestriction/saml:Audience"))
                .containsExactly("https://signin.aws.amazon.com/saml");
        assertThat(xml.text(a + "/saml:AuthnStatement/@AuthnInstant")).isEqualTo("2026-11-22T09:55:30.000Z");
        assertThat(xml.text(a + "/saml:AuthnStatement/@SessionNotOnOrAfter")).isEqualTo("2026-11-22T12:15:30.000Z");
        assertThat(xml.text(a + "/saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef"))
                .isEqualTo("urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified");
    }

    @Test
    @DisplayName("Role holds one roleArn,providerArn per role; RoleSessionName and SessionDuration are set")
    void create_awsAttributes() {
        SamlXml xml = create(settings().build(), List.of(ADMIN, BUYER));

        assertThat(xml.attribute(AwsSamlAttributes.ROLE)).containsExactly(
                ADMIN.roleArn() + "," + PROVIDER, BUYER.roleArn() + "," + PROVIDER);
        assertThat(xml.attribute(AwsSamlAttributes.ROLE_SESSION_NAME)).containsExactly("auth0-5f7c8ec7");
        assertThat(xml.attribute(AwsSamlAttributes.SESSION_DURATION)).containsExactly("7200");
        assertThat(xml.attribute(AwsSamlAttributes.SOURCE_IDENTITY)).isEmpty();
        assertThat(xml.nodes("//saml:Attribute[starts-with(@Name, '" + AwsSamlAttributes.PRINCIPAL_TAG_PREFIX + "')]")).isEmpty();
    }

    @Test
    @DisplayName("Session tags, transitive keys, source identity and mapped attributes (eduPersonAffiliation <- groups) come from the user")
    void create_configuredAttributes() {
        SamlSettings settings = settings()
                .attribute("urn:oid:1.3.6.1.4.1.5923.1.1.1.1", "groups")
                .attribute("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "email")
                .attribute("https://example.com/SAML/Attributes/department", "claim.department") // the user has none
                .principalTag("team", "claim.team")
                .principalTag("connection", "connectionType")
                .transitiveTagKeys(List.of("team"))
                .sourceIdentity("email")
                .build();

        SamlXml xml = create(settings, List.of(ADMIN));

        assertThat(xml.attribute("urn:oid:1.3.6.1.4.1.5923.1.1.1.1")).containsExactly("pet-admins", "staff");
        assertThat(xml.attribute("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress")).containsExactly("admin@example.com");
        assertThat(xml.nodes("//saml:Attribute[@Name='https://example.com/SAML/Attributes/department']")).isEmpty();
        assertThat(xml.attribute(AwsSamlAttributes.PRINCIPAL_TAG_PREFIX + "team")).containsExactly("blue");
        assertThat(xml.attribute(AwsSamlAttributes.PRINCIPAL_TAG_PREFIX + "connection")).containsExactly("database");
        assertThat(xml.attribute(AwsSamlAttributes.TRANSITIVE_TAG_KEYS)).containsExactly("team");
        assertThat(xml.attribute(AwsSamlAttributes.SOURCE_IDENTITY)).containsExactly("admin@example.com");
    }

    @Test
    @DisplayName("The assertion is signed with RSA-SHA256, a SHA-256 digest and exclusive C14N, referencing its own ID; the JDK verifies it")
    void create_signature() {
        SamlXml xml = create(settings().build(), List.of(ADMIN));
        String sig = "/samlp:Response/saml:Assertion/ds:Signature";

        assertThat(xml.nodes("//ds:Signature")).hasSize(1);
        assertThat(xml.text(sig + "/ds:SignedInfo/ds:SignatureMethod/@Algorithm")).isEqualTo("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
        assertThat(xml.text(sig + "/ds:SignedInfo/ds:CanonicalizationMethod/@Algorithm")).isEqualTo("http://www.w3.org/2001/10/xml-exc-c14n#");
        assertThat(xml.nodes(sig + "/ds:SignedInfo/ds:Reference")).hasSize(1);
        assertThat(xml.text(sig + "/ds:SignedInfo/ds:Reference/@URI")).isEqualTo("#" + xml.text("/samlp:Response/saml:Assertion/@ID"));
        assertThat(xml.text(sig + "/ds:SignedInfo/ds:Reference/ds:DigestMethod/@Algorithm")).isEqualTo("http://www.w3.org/2001/04/xmlenc#sha256");
        assertThat(xml.texts(sig + "/ds:SignedInfo/ds:Reference/ds:Transforms/ds:Transform/@Algorithm")).containsExactly(
                "http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#");
        assertThat(xml.text(sig + "/ds:KeyInfo/ds:X509Data/ds:X509Certificate").replaceAll("\\s", ""))
                .isEqualTo(base64(SamlTestKeys.signingKey().certificate()));
        assertThat(JdkSignatureCheck.verifies(xml, SamlTestKeys.rsa2048().getPublic())).isTrue();
        assertThat(JdkSignatureCheck.verifies(SamlXml.parse(new SamlAssertionFactory(settings().build(), clock)
                .create(admin(), List.of(ADMIN), "auth0-5f7c8ec7", Duration.ofHours(1)).xml()
                .replace("auth0-5f7c8ec7</", "admin-everything</")), SamlTestKeys.rsa2048().getPublic()))
                .as("a changed attribute breaks the signature").isFalse();
        assertThat(JdkSignatureCheck.verifies(xml, SamlTestKeys.otherRsa2048().getPublic())).as("another key").isFalse();
    }

    @Test
    @DisplayName("China and GovCloud roles get their partition's sign-in URL and audience; a sign-in region gives the regional URL")
    void create_partitions() {
        String cnProvider = "arn:aws-cn:iam::123456789012:saml-provider/pet-shop";
        SamlXml cn = create(settings().build(), List.of(RoleGrant.builder("arn:aws-cn:iam::123456789012:role/admin")
                .principal(cnProvider).region("cn-north-1").build()));
        assertThat(cn.text("/samlp:Response/@Destination")).isEqualTo("https://signin.amazonaws.cn/saml");
        assertThat(cn.text("//saml:SubjectConfirmationData/@Recipient")).isEqualTo("https://signin.amazonaws.cn/saml");
        assertThat(cn.text("//saml:Audience")).isEqualTo("https://signin.amazonaws.cn/saml");
        assertThat(cn.attribute(AwsSamlAttributes.ROLE)).containsExactly("arn:aws-cn:iam::123456789012:role/admin," + cnProvider);

        SamlXml gov = create(settings().build(), List.of(RoleGrant.builder("arn:aws-us-gov:iam::123456789012:role/admin")
                .principal("arn:aws-us-gov:iam::123456789012:saml-provider/pet-shop").region("us-gov-west-1").build()));
        assertThat(gov.text("//saml:SubjectConfirmationData/@Recipient")).isEqualTo("https://signin.amazonaws-us-gov.com/saml");
        assertThat(gov.text("//saml:Audience")).isEqualTo("urn:amazon:webservices:govcloud");

        SamlXml regional = create(settings().signInRegion(Region.EU_WEST_1).build(), List.of(ADMIN));
        assertThat(regional.text("//saml:SubjectConfirmationData/@Recipient")).isEqualTo("https://eu-west-1.signin.aws.amazon.com/saml");
        assertThat(regional.text("//saml:Audience")).isEqualTo("https://signin.aws.amazon.com/saml");
    }

    @Test
    void create_validityFollowsTheConfiguredLifetime() {
        SamlResponse response = new SamlAssertionFactory(settings().assertionLifetime(Duration.ofSeconds(90)).build(), clock)
                .create(admin(), List.of(ADMIN), "auth0-5f7c8ec7", Duration.ofMinutes(15));

        assertThat(response.notOnOrAfter()).isEqualTo(NOW.plusSeconds(90));
        SamlXml xml = SamlXml.parse(response.xml());
        assertThat(xml.text("//saml:SubjectConfirmationData/@NotOnOrAfter")).isEqualTo("2026-11-22T10:17:00.000Z");
        assertThat(xml.attribute(AwsSamlAttributes.SESSION_DURATION)).containsExactly("900");
    }

    @Test
    void create_withoutAuthTime_usesIssuedAt() {
        VerifiedIdentity user = Identities.withClaims("auth0|1", ConnectionType.DATABASE,
                Map.of("iat", NOW.minusSeconds(30).getEpochSecond()));
        SamlXml xml = SamlXml.parse(new SamlAssertionFactory(settings().build(), clock)
                .create(user, List.of(ADMIN), "auth0-1", Duration.ofHours(1)).xml());

        assertThat(xml.text("//saml:AuthnStatement/@AuthnInstant")).isEqualTo("2026-11-22T10:15:00.000Z");
    }

    @Test
    void create_roleWithoutSamlProvider_isRefused() {
        SamlAssertionFactory factory = new SamlAssertionFactory(settings().build(), clock);

        assertThatThrownBy(() -> factory.create(admin(), List.of(RoleGrant.of("arn:aws:iam::123456789012:role/x")), "s1",
                Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no IAM SAML provider as principal");
    }

    @Test
    void create_rolesOfTwoPartitions_areRefused() {
        SamlAssertionFactory factory = new SamlAssertionFactory(settings().build(), clock);
        RoleGrant cn = RoleGrant.builder("arn:aws-cn:iam::123456789012:role/admin")
                .principal("arn:aws-cn:iam::123456789012:saml-provider/p").region("cn-north-1").build();

        assertThatThrownBy(() -> factory.create(admin(), List.of(ADMIN, cn), "s1", Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot share one SAML response");
    }

    @Test
    @DisplayName("A user value that cannot be a session tag is refused before STS is called (403), naming the tag")
    void create_badTagValue_isScopeRejected() {
        SamlSettings settings = settings().principalTag("groups", "groups").principalTag("note", "claim.note").build();
        SamlAssertionFactory factory = new SamlAssertionFactory(settings, clock);

        assertThatThrownBy(() -> factory.create(admin(), List.of(ADMIN), "s1", Duration.ofHours(1)))
                .isInstanceOf(ScopeRejectedException.class)
                .hasMessageContaining("principal tag 'groups'").hasMessageContaining("2 values");
        VerifiedIdentity odd = Identities.withClaims("auth0|2", ConnectionType.DATABASE, Map.of("note", "a,b;c"));
        SamlAssertionFactory noteOnly = new SamlAssertionFactory(settings().principalTag("note", "claim.note").build(), clock);
        assertThatThrownBy(() -> noteOnly.create(odd, List.of(ADMIN), "s1", Duration.ofHours(1)))
                .isInstanceOf(ScopeRejectedException.class)
                .hasMessageContaining("principal tag 'note'");
    }

    @Test
    @DisplayName("a role's rendered scope puts its tags, transitive keys and source identity into the assertion, over the saml defaults")
    void create_withRoleScope() {
        SamlSettings settings = settings().principalTag("team", "claim.team").principalTag("tier", "connectionType")
                .sourceIdentity("email").build();
        io.github.awsdelegation.scope.SessionScope scope = new io.github.awsdelegation.scope.SessionScope(null,
                List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"), Map.of("team", "red", "project", "pets"),
                List.of("project"), "auth0-5f7c8ec7");

        SamlXml xml = SamlXml.parse(new SamlAssertionFactory(settings, clock).create(admin(), List.of(ADMIN), "s1",
                Duration.ofHours(1), scope).xml());

        assertThat(xml.attribute(AwsSamlAttributes.PRINCIPAL_TAG_PREFIX + "team")).containsExactly("red");
        assertThat(xml.attribute(AwsSamlAttributes.PRINCIPAL_TAG_PREFIX + "tier")).containsExactly("database");
        assertThat(xml.attribute(AwsSamlAttributes.PRINCIPAL_TAG_PREFIX + "project")).containsExactly("pets");
        assertThat(xml.attribute(AwsSamlAttributes.TRANSITIVE_TAG_KEYS)).containsExactly("project");
        assertThat(xml.attribute(AwsSamlAttributes.SOURCE_IDENTITY)).containsExactly("auth0-5f7c8ec7");
        assertThat(xml.document().getDocumentElement().getTextContent()).doesNotContain("ReadOnlyAccess");
    }

    @Test
    void create_sourceIdentityIsMadeValidForSts() {
        SamlXml xml = SamlXml.parse(new SamlAssertionFactory(settings().sourceIdentity("sub").build(), clock)
                .create(admin(), List.of(ADMIN), "auth0-5f7c8ec7", Duration.ofHours(1)).xml());

        assertThat(xml.attribute(AwsSamlAttributes.SOURCE_IDENTITY)).containsExactly(RoleSessionNames.of("auth0|5f7c8ec7"))
                .allMatch(v -> v.startsWith("auth0-5f7c8ec7-"), "one to one, like a role session name");
    }

    @Test
    @DisplayName("toString names the response and assertion, never its content")
    void samlResponse_toString_hidesContent() {
        SamlResponse response = new SamlAssertionFactory(settings().build(), clock).create(admin(), List.of(ADMIN), "s1",
                Duration.ofHours(1));

        assertThat(response.toString()).contains(response.assertionId(), "auth0|5f7c8ec7", "<redacted>")
                .doesNotContain(response.encoded().substring(0, 40), "SignatureValue", "pet-shop-admin");
        assertThat(response.partition()).isEqualTo(Partition.AWS);
        assertThat(response.encoded()).isEqualTo(Base64.getEncoder().encodeToString(response.xml().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @DisplayName("NameQualifier is BASE64(SHA1(issuer + account + \"/\" + provider name)), as STS computes it")
    void nameQualifier() throws Exception {
        String expected = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                .digest("https://example.com/saml123456789012/MySAMLIdP".getBytes(StandardCharsets.UTF_8)));

        assertThat(SamlAssertionFactory.nameQualifier("https://example.com/saml", "arn:aws:iam::123456789012:saml-provider/MySAMLIdP"))
                .isEqualTo(expected);
        assertThatThrownBy(() -> SamlAssertionFactory.nameQualifier("x", "arn:aws:iam::123456789012:role/r"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String base64(java.security.cert.X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

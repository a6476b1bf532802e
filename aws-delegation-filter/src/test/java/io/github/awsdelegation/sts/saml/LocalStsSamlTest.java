package io.github.awsdelegation.sts.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.awsdelegation.sts.saml.internal.AwsSamlAttributes;
import io.github.awsdelegation.sts.saml.internal.ResponseContent;
import io.github.awsdelegation.sts.saml.internal.SignedResponseWriter;
import io.github.awsdelegation.testkit.FakeClock;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithSamlRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithSamlResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The local STS's AssumeRoleWithSAML, as IAM checks a SAML response: our signed responses are accepted, and a
 * tampered, re-signed, unsigned, wrapped, expired or misaddressed one is refused with AWS's error code. Driven by
 * the AWS SDK's StsClient over HTTP.
 */
class LocalStsSamlTest {

    static final FakeClock CLOCK = FakeClock.now();
    static LocalSamlSts sts;
    static StsClient client;
    static SignedResponseWriter writer;

    @BeforeAll
    static void start() {
        sts = new LocalSamlSts(SamlAssertionFactoryTest.settings().build(), CLOCK);
        client = sts.client();
        writer = new SignedResponseWriter(SamlTestKeys.signingKey());
    }

    @AfterAll
    static void stop() {
        client.close();
        sts.close();
    }

    @AfterEach
    void reset() {
        sts.sts.resetCalls();
    }

    /** A valid response's content, for the buyer role; tests change one thing. */
    static final class Content {
        Instant now = CLOCK.instant().truncatedTo(ChronoUnit.SECONDS);
        String issuer = SamlAssertionFactoryTest.ENTITY_ID;
        String recipient = "https://signin.aws.amazon.com/saml";
        String audience = "https://signin.aws.amazon.com/saml";
        Instant notOnOrAfter = now.plus(Duration.ofMinutes(5));
        Instant sessionNotOnOrAfter = now.plus(Duration.ofHours(1));
        Map<String, List<String>> attributes = new LinkedHashMap<>(Map.of(
                AwsSamlAttributes.ROLE, List.of(LocalSamlSts.BUYER_ROLE + "," + LocalSamlSts.PROVIDER),
                AwsSamlAttributes.ROLE_SESSION_NAME, List.of("auth0-42")));

        String xml() {
            return writer.write(new ResponseContent("_r" + now.toEpochMilli(), "_a" + now.toEpochMilli(), issuer, "auth0|42",
                    recipient, audience, now, notOnOrAfter, now, sessionNotOnOrAfter, "_s1", attributes));
        }
    }

    static String xml(Consumer<Content> change) {
        Content c = new Content();
        change.accept(c);
        return c.xml();
    }

    static AssumeRoleWithSamlResponse present(String xml, String roleArn) {
        return present(xml, roleArn, null);
    }

    static AssumeRoleWithSamlResponse present(String xml, String roleArn, Integer durationSeconds) {
        return client.assumeRoleWithSAML(AssumeRoleWithSamlRequest.builder().roleArn(roleArn).principalArn(LocalSamlSts.PROVIDER)
                .samlAssertion(Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8)))
                .durationSeconds(durationSeconds).build());
    }

    static StsException refused(String xml, String roleArn) {
        StsException e = catchThrowableOfType(StsException.class, () -> present(xml, roleArn));
        assertThat(e).as("STS should refuse").isNotNull();
        return e;
    }

    static String code(StsException e) {
        return e.awsErrorDetails().errorCode();
    }

    @Test
    @DisplayName("an untouched response is accepted, and STS reports Subject, SubjectType, Issuer, Audience and NameQualifier")
    void valid_isAccepted() {
        AssumeRoleWithSamlResponse response = present(xml(c -> { }), LocalSamlSts.BUYER_ROLE);

        assertThat(response.subject()).isEqualTo("auth0|42");
        assertThat(response.subjectType()).isEqualTo("persistent");
        assertThat(response.issuer()).isEqualTo(SamlAssertionFactoryTest.ENTITY_ID);
        assertThat(response.audience()).isEqualTo("https://signin.aws.amazon.com/saml");
        assertThat(response.nameQualifier()).isEqualTo(SamlAssertionFactory.nameQualifier(SamlAssertionFactoryTest.ENTITY_ID,
                LocalSamlSts.PROVIDER));
        assertThat(response.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/pet-shop-buyer/auth0-42");
    }

    @Test
    @DisplayName("a role changed after signing (buyer -> admin) is refused: Response signature invalid")
    void tampered_isRefused() {
        String tampered = xml(c -> { }).replace("role/pet-shop-buyer,", "role/pet-shop-admin,");

        StsException e = refused(tampered, LocalSamlSts.ADMIN_ROLE);

        assertThat(code(e)).isEqualTo("InvalidIdentityToken");
        assertThat(e.awsErrorDetails().errorMessage()).startsWith("Response signature invalid");
    }

    @Test
    @DisplayName("a response re-signed with another key (carrying that key's certificate) is refused: the key comes from the metadata")
    void reSigned_isRefused() {
        KeyPair forger = SamlTestKeys.otherRsa2048();
        SignedResponseWriter forgerWriter = new SignedResponseWriter(
                SamlSigningKey.of(forger.getPrivate(), SamlTestKeys.certificate(forger, "aws-delegation test IdP"), List.of()));
        Content c = new Content();
        c.attributes.put(AwsSamlAttributes.ROLE, List.of(LocalSamlSts.ADMIN_ROLE + "," + LocalSamlSts.PROVIDER));
        String forged = forgerWriter.write(new ResponseContent("_f1", "_f2", c.issuer, "auth0|42", c.recipient, c.audience, c.now,
                c.notOnOrAfter, c.now, c.sessionNotOnOrAfter, "_s", c.attributes));

        StsException e = refused(forged, LocalSamlSts.ADMIN_ROLE);

        assertThat(code(e)).isEqualTo("InvalidIdentityToken");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Response signature invalid");
    }

    @Test
    void unsigned_isRefused() {
        String unsigned = xml(c -> { }).replaceAll("(?s)<ds:Signature.*</ds:Signature>", "");

        StsException e = refused(unsigned, LocalSamlSts.BUYER_ROLE);

        assertThat(e.awsErrorDetails().errorMessage()).contains("Response signature invalid");
    }

    @Test
    @DisplayName("signature wrapping is refused: a forged assertion beside the signed one, or one with the signed one's ID")
    void wrapped_isRefused() {
        String signed = xml(c -> { });
        int start = signed.indexOf("<saml2:Assertion");
        int end = signed.indexOf("</saml2:Assertion>") + "</saml2:Assertion>".length();
        String original = signed.substring(start, end);
        String evil = original.replaceAll("(?s)<ds:Signature.*</ds:Signature>", "")
                .replace("role/pet-shop-buyer,", "role/pet-shop-admin,");
        // The forged assertion first, the signed one after it: a verifier that checks "some" signature would be fooled.
        String beside = signed.substring(0, start) + evil + original + signed.substring(end);
        // The signed assertion hidden in an Extensions element, the forged one in its place with the same ID.
        String hidden = signed.substring(0, start).replace("<saml2p:Status>", "<saml2p:Extensions>" + original
                + "</saml2p:Extensions><saml2p:Status>") + evil + signed.substring(end);

        String besideNewId = signed.substring(0, start) + evil.replaceFirst("ID=\"_a", "ID=\"_evil") + original
                + signed.substring(end);

        StsException sameId = refused(beside, LocalSamlSts.ADMIN_ROLE);
        StsException otherId = refused(besideNewId, LocalSamlSts.ADMIN_ROLE);
        StsException extensions = refused(hidden, LocalSamlSts.ADMIN_ROLE);

        assertThat(List.of(sameId, otherId, extensions)).extracting(LocalStsSamlTest::code).containsOnly("InvalidIdentityToken");
        assertThat(sameId.awsErrorDetails().errorMessage()).contains("two elements with the ID");
        assertThat(otherId.awsErrorDetails().errorMessage()).contains("exactly one Assertion");
        assertThat(extensions.awsErrorDetails().errorMessage()).containsAnyOf("two elements with the ID", "exactly one Assertion");
        assertThat(sts.sts.sessions()).noneMatch(s -> s.roleArn().equals(LocalSamlSts.ADMIN_ROLE) && s.subject().equals("auth0|42"));
    }

    @Test
    @DisplayName("a DOCTYPE (entity expansion, external entities) is refused before anything else is read")
    void doctype_isRefused() {
        String signed = xml(c -> { });
        String withDoctype = signed.replaceFirst("\\?>", "?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>");

        StsException e = refused(withDoctype, LocalSamlSts.BUYER_ROLE);

        assertThat(e.awsErrorDetails().errorMessage()).contains("without DOCTYPE");
    }

    @Test
    @DisplayName("an assertion presented after its NotOnOrAfter is ExpiredTokenException")
    void expired_isRefused() {
        String response = xml(c -> { });
        CLOCK.advance(Duration.ofMinutes(6));
        try {
            StsException e = refused(response, LocalSamlSts.BUYER_ROLE);

            assertThat(code(e)).isEqualTo("ExpiredTokenException");
        } finally {
            CLOCK.advance(Duration.ofMinutes(-6));
        }
    }

    @Test
    void wrongAudience_isRefused() {
        StsException e = refused(xml(c -> c.audience = "https://signin.amazonaws.cn/saml"), LocalSamlSts.BUYER_ROLE);

        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Response does not contain the required audience.");
    }

    @Test
    void wrongRecipient_isRefused() {
        StsException e = refused(xml(c -> c.recipient = "https://shop.example.com/acs"), LocalSamlSts.BUYER_ROLE);

        assertThat(e.awsErrorDetails().errorMessage()).startsWith("Invalid Recipient");
    }

    @Test
    @DisplayName("SAML:aud is the Recipient: a regional sign-in URL needs a trust policy that lists it (IAM's console lists the global one)")
    void regionalRecipient_needsItInTheTrustPolicy() {
        String regional = "https://eu-west-1.signin.aws.amazon.com/saml";
        Content c = new Content();
        c.recipient = regional;
        c.attributes.put(AwsSamlAttributes.ROLE, List.of(LocalSamlSts.BUYER_ROLE + "," + LocalSamlSts.PROVIDER,
                LocalSamlSts.REGIONAL_ROLE + "," + LocalSamlSts.PROVIDER));
        String response = c.xml();

        StsException standardTrust = refused(response, LocalSamlSts.BUYER_ROLE);
        AssumeRoleWithSamlResponse regionalTrust = present(response, LocalSamlSts.REGIONAL_ROLE);

        assertThat(code(standardTrust)).isEqualTo("AccessDenied");
        assertThat(regionalTrust.audience()).isEqualTo(regional);
    }

    @Test
    void otherIssuer_isRefused() {
        StsException e = refused(xml(c -> c.issuer = "https://evil.example.com/saml"), LocalSamlSts.BUYER_ROLE);

        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Issuer not present in specified provider");
    }

    @Test
    @DisplayName("a role the assertion does not name is AccessDenied, even if the role trusts the provider")
    void roleNotInAssertion_isAccessDenied() {
        StsException e = refused(xml(c -> { }), LocalSamlSts.ADMIN_ROLE);

        assertThat(code(e)).isEqualTo("AccessDenied");
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Not authorized to perform sts:AssumeRoleWithSAML");
    }

    @Test
    void roleSessionName_missingOrInvalid_isRefused() {
        StsException missing = refused(xml(c -> c.attributes.remove(AwsSamlAttributes.ROLE_SESSION_NAME)), LocalSamlSts.BUYER_ROLE);
        StsException invalid = refused(xml(c -> c.attributes.put(AwsSamlAttributes.ROLE_SESSION_NAME, List.of("auth0|42"))),
                LocalSamlSts.BUYER_ROLE);

        assertThat(missing.awsErrorDetails().errorMessage()).isEqualTo("RoleSessionName is required in AuthnResponse");
        assertThat(invalid.awsErrorDetails().errorMessage()).isEqualTo("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}");
    }

    @Test
    @DisplayName("the session ends at the earliest of the requested duration, SessionDuration and SessionNotOnOrAfter")
    void sessionEnd_isTheEarliest() {
        Content c = new Content();
        c.attributes.put(AwsSamlAttributes.SESSION_DURATION, List.of("1800"));
        AssumeRoleWithSamlResponse byDuration = present(c.xml(), LocalSamlSts.BUYER_ROLE);
        c.sessionNotOnOrAfter = c.now.plus(Duration.ofMinutes(20));
        AssumeRoleWithSamlResponse byNotOnOrAfter = present(c.xml(), LocalSamlSts.BUYER_ROLE, 3600);

        assertThat(byDuration.credentials().expiration()).isEqualTo(c.now.plus(Duration.ofMinutes(30)));
        assertThat(byNotOnOrAfter.credentials().expiration()).isEqualTo(c.now.plus(Duration.ofMinutes(20)));
    }

    @Test
    void notBase64_isRefused() {
        StsException e = catchThrowableOfType(StsException.class, () -> client.assumeRoleWithSAML(AssumeRoleWithSamlRequest.builder()
                .roleArn(LocalSamlSts.BUYER_ROLE).principalArn(LocalSamlSts.PROVIDER).samlAssertion("%%% not base64 %%%").build()));

        assertThat(code(e)).isEqualTo("InvalidIdentityToken");
    }
}

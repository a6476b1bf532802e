package io.github.awsdelegation.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.TemporarilyUnavailableException;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.sts.saml.SamlTestKeys;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.internal.SelfSignedCertificates;
import io.github.awsdelegation.token.IssuerUnavailableException;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readiness view over a real service: the testkit's identity provider and STS, real SAML signing certificates,
 * an issuer and an STS that cannot be reached (a closed port).
 */
class DelegationHealthTest {

    static LocalAws aws;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        aws = LocalAws.builder().start();
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    DelegationService service(String issuer, String sts, X509Certificate certificate, KeyPair pair) {
        Path keyStore = SamlTestKeys.writePkcs12(dir.resolve("saml-" + System.nanoTime() + ".p12"), "saml", pair, certificate);
        return DelegationService.create(DelegationConfigLoader.withVariables(Map.of("ISSUER", issuer, "STS", sts,
                "KEYSTORE", keyStore.toString(), "PASSWORD", SamlTestKeys.PASSWORD)).parse("""
                oidc:
                  issuer: ${ISSUER}
                  clientId: %s
                sts:
                  region: us-east-1
                  endpoint: ${STS}
                saml:
                  entityId: https://shop.example.com/saml
                  keyStore:
                    path: ${KEYSTORE}
                    password: ${PASSWORD}
                rules:
                  - id: social-buyers
                    connectionType: social
                    roles:
                      - arn: %s
                """.formatted(Demo.CLIENT_ID, Demo.BUYER_ROLE_ARN)));
    }

    DelegationService service(String issuer, String sts) {
        KeyPair pair = SamlTestKeys.rsa2048();
        return service(issuer, sts, SamlTestKeys.certificate(pair, "pet-shop SAML IdP"), pair);
    }

    @Test
    @DisplayName("a fresh start (issuer discovered, no STS call yet, certificate valid for years): ready")
    void freshStart_ready() {
        try (DelegationService service = service(aws.identityProvider().issuer().toString(), aws.sts().endpoint().toString())) {
            service.validator().discover();

            HealthReport report = service.health().report();

            assertThat(report.ready()).as(report.toJson()).isTrue();
            assertThat(report.checks()).extracting(HealthReport.Check::name)
                    .containsExactly("issuer", "sts", "samlCertificate", "credentialStore");
            assertThat(report.check("issuer").detail()).startsWith("discovered; JWKS fetched ");
            assertThat(report.check("issuer").data()).containsEntry("issuer", aws.identityProvider().issuer().toString())
                    .containsKey("jwksAgeSeconds");
            assertThat(report.check("sts").detail()).isEqualTo("no STS call yet");
            assertThat(report.toJson()).startsWith("{\"status\":\"UP\",");
        }
    }

    @Test
    @DisplayName("issuer discovery down: not ready, saying discovery failed and why")
    void discoveryDown_notReady() throws Exception {
        String issuer = "http://127.0.0.1:" + closedPort() + "/";
        try (DelegationService service = service(issuer, aws.sts().endpoint().toString())) {
            assertThatThrownBy(() -> service.validator().discover()).isInstanceOf(IssuerUnavailableException.class);

            HealthReport report = service.health().report();

            assertThat(report.ready()).isFalse();
            assertThat(report.check("issuer").up()).isFalse();
            assertThat(report.check("issuer").detail()).startsWith("OIDC discovery failed: ");
            assertThat(report.check("issuer").data().get("lastFailureAt")).isNotNull();
            assertThat(report.toJson()).startsWith("{\"status\":\"DOWN\",");
        }
    }

    @Test
    @DisplayName("a SAML signing certificate expiring in 10 days: not ready, with the date and what to do")
    void certificateExpiringIn10Days_notReady() {
        KeyPair pair = SamlTestKeys.rsa2048();
        // Valid for SelfSignedCertificates.VALIDITY from its start: started that long ago, less 10 days.
        X509Certificate expiring = SelfSignedCertificates.create(pair, "pet-shop SAML IdP",
                Instant.now().minus(SelfSignedCertificates.VALIDITY).plus(Duration.ofDays(10)));
        try (DelegationService service = service(aws.identityProvider().issuer().toString(), aws.sts().endpoint().toString(),
                expiring, pair)) {
            service.validator().discover();

            HealthReport report = service.health().report();

            assertThat(report.ready()).isFalse();
            HealthReport.Check check = report.check("samlCertificate");
            assertThat(check.up()).isFalse();
            assertThat(check.detail()).startsWith("the SAML signing certificate expires on " + expiring.getNotAfter().toInstant())
                    .contains("under 30): publish the next key as a rotation certificate");
            assertThat(check.data()).containsEntry("notAfter", expiring.getNotAfter().toInstant().toString());
            assertThat(report.check("issuer").up()).isTrue();
        }
    }

    @Test
    @DisplayName("STS: down after a failed call, with its reason; up again after a success")
    void sts_lastOutcome() throws Exception {
        String issuer = aws.identityProvider().issuer().toString();
        String token = aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID);
        try (DelegationService down = service(issuer, "http://127.0.0.1:" + closedPort() + "/")) {
            VerifiedIdentity user = down.validator().validate(token);
            assertThatThrownBy(() -> down.delegate(user, () -> token, (String) null, EntryPoint.APPLICATION))
                    .isInstanceOf(TemporarilyUnavailableException.class);

            HealthReport.Check sts = down.health().report().check("sts");

            assertThat(sts.up()).isFalse();
            assertThat(sts.detail()).startsWith("the last STS call failed ");
            assertThat(sts.data()).containsKey("lastFailure").containsEntry("lastSuccessAt", null);
        }
        try (DelegationService up = service(issuer, aws.sts().endpoint().toString())) {
            VerifiedIdentity user = up.validator().validate(token);
            up.delegate(user, () -> token, (String) null, EntryPoint.APPLICATION);

            HealthReport report = up.health().report();

            assertThat(report.check("sts").detail()).startsWith("the last STS call succeeded ");
            assertThat(report.ready()).as(report.toJson()).isTrue();
        }
    }
}

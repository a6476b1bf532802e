package io.github.awsdelegation.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.TokenRejectedException;
import io.github.awsdelegation.token.VerifiedIdentity;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.Fault;
import io.github.awsdelegation.testkit.LocalAwsExtension;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;

/** The web-identity issuer against the testkit's STS over HTTP: what STS answers, and what the module makes of it. */
class WebIdentityCredentialSourceTest {

    @RegisterExtension
    static LocalAwsExtension aws = LocalAwsExtension.builder().build();

    WebIdentityCredentialSource issuer;
    LocalIdentityProvider idp;
    LocalSts sts;

    @BeforeEach
    void setUp() {
        idp = aws.identityProvider();
        sts = aws.sts();
        sts.setFault(Fault.NONE);
        sts.resetCalls();
        issuer = new WebIdentityCredentialSource(StsSettings.builder().region(Region.US_EAST_1)
                .endpointOverride(sts.endpoint()).callTimeout(Duration.ofSeconds(3)).attemptTimeout(Duration.ofSeconds(1))
                .maxAttempts(3).build());
    }

    @AfterEach
    void tearDown() {
        issuer.close();
    }

    String token() {
        return idp.newIdToken().subject("amazon|1").sign();
    }

    CredentialRequest request(String token, String roleArn, String policy, Duration duration) {
        VerifiedIdentity user = new VerifiedIdentity(idp.issuer().toString(), "amazon|1", ConnectionType.SOCIAL, "amazon",
                List.of(), null, Instant.now().plusSeconds(3600), Map.of());
        return new CredentialRequest(user, token, RoleGrant.of(roleArn), "amazon-1", policy, duration);
    }

    @Test
    @DisplayName("issues credentials for the role, with STS's expiration and assumed-role identity")
    void issue_success() {
        IssuedCredentials issued = issuer.issue(request(token(), Demo.BUYER_ROLE_ARN, null, Duration.ofMinutes(20)));

        assertThat(issued.roleArn()).isEqualTo(Demo.BUYER_ROLE_ARN);
        assertThat(issued.assumedRoleArn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/pet-shop-buyer/amazon-1");
        assertThat(issued.assumedRoleId()).endsWith(":amazon-1");
        assertThat(issued.remainingAt(Instant.now())).isBetween(Duration.ofMinutes(19), Duration.ofMinutes(20));
        assertThat(issued.credentials().expirationTime()).hasValue(issued.expiration());
        assertThat(sts.session(issued.credentials().accessKeyId())).hasValueSatisfying(s ->
                assertThat(s.roleArn()).isEqualTo(Demo.BUYER_ROLE_ARN));
        assertThat(sts.calls()).singleElement().satisfies(call -> {
            assertThat(call.roleSessionName()).isEqualTo("amazon-1");
            assertThat(call.durationSeconds()).isEqualTo(1200);
        });
    }

    @Test
    @DisplayName("the session policy travels to STS")
    void issue_sessionPolicy() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::pet-shop/amazon|1/*\"}]}";

        issuer.issue(request(token(), Demo.BUYER_ROLE_ARN, policy, Duration.ofHours(1)));

        assertThat(sts.calls()).singleElement().satisfies(call -> assertThat(call.policy()).isEqualTo(policy));
    }

    @Test
    @DisplayName("a role whose trust policy refuses the user is a 403 naming the role and STS's reason")
    void issue_untrustedRole() {
        sts.addRole(io.github.awsdelegation.testkit.LocalRole.trustingOidc("arn:aws:iam::123456789012:role/other-app",
                idp.issuer(), "another-client"));

        assertThatThrownBy(() -> issuer.issue(request(token(),
                "arn:aws:iam::123456789012:role/other-app", null, Duration.ofHours(1))))
                .isInstanceOf(RoleDeniedException.class)
                .hasMessageContaining("STS refused role arn:aws:iam::123456789012:role/other-app: AccessDenied");
    }

    @Test
    @DisplayName("a duration over the role's maximum is a 403 with STS's message")
    void issue_durationTooLong() {
        assertThatThrownBy(() -> issuer.issue(request(token(), Demo.BUYER_ROLE_ARN, null, Duration.ofHours(2))))
                .isInstanceOf(RoleDeniedException.class)
                .hasMessageContaining("MaxSessionDuration");
    }

    @Test
    @DisplayName("a token STS rejects is a 401")
    void issue_expiredToken() {
        String expired = idp.newIdToken().subject("amazon|1").issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).sign();

        assertThatThrownBy(() -> issuer.issue(request(expired, Demo.BUYER_ROLE_ARN, null, Duration.ofHours(1))))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessageContaining("STS rejected the ID token: ExpiredTokenException")
                .hasMessageNotContaining(expired);
    }

    @Test
    @DisplayName("throttling is retried: one throttled answer, then success")
    void issue_throttledOnce_retried() {
        sts.setFault(Fault.THROTTLE, 1);

        IssuedCredentials issued = issuer.issue(request(token(), Demo.BUYER_ROLE_ARN, null, Duration.ofHours(1)));

        assertThat(issued).isNotNull();
        assertThat(sts.calls()).extracting(c -> c.outcome()).containsExactly("Throttling", "Success");
    }

    @Test
    @DisplayName("STS unavailable, or gone, is a 503 with the configured Retry-After")
    void issue_unavailable() {
        sts.setFault(Fault.UNAVAILABLE);

        assertThatThrownBy(() -> issuer.issue(request(token(), Demo.BUYER_ROLE_ARN, null, Duration.ofHours(1))))
                .isInstanceOfSatisfying(CredentialsUnavailableException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(StsSettings.DEFAULT_RETRY_AFTER))
                .hasMessageContaining("STS is unavailable right now");
        assertThat(sts.callCount("AssumeRoleWithWebIdentity")).as("retried up to maxAttempts").isEqualTo(3);
    }

    @Test
    @DisplayName("an STS that does not answer in time is a 503 within the call timeout")
    void issue_slow() {
        sts.setFault(Fault.SLOW(Duration.ofSeconds(5)));
        long start = System.nanoTime();

        assertThatThrownBy(() -> issuer.issue(request(token(), Demo.BUYER_ROLE_ARN, null, Duration.ofHours(1))))
                .isInstanceOf(CredentialsUnavailableException.class)
                .hasMessageContaining("cannot be reached");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
    @Test
    @DisplayName("non-recoverable STS errors are a 403 by meaning: a malformed session policy, a packed policy too large")
    void issue_nonRecoverableErrors() {
        String withPrincipal = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";
        StringBuilder random = new StringBuilder();
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < 1900; i++) {
            random.append((char) ('a' + r.nextInt(26)));
        }
        String incompressible = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::b/" + random + "\"}]}";

        assertThatThrownBy(() -> issuer.issue(request(token(), Demo.BUYER_ROLE_ARN, withPrincipal, Duration.ofHours(1))))
                .isInstanceOf(RoleDeniedException.class).hasMessageContaining("MalformedPolicyDocument");
        assertThatThrownBy(() -> issuer.issue(request(token(), Demo.BUYER_ROLE_ARN, incompressible, Duration.ofHours(1))))
                .isInstanceOf(RoleDeniedException.class).hasMessageContaining("PackedPolicyTooLarge");
        assertThat(sts.calls()).hasSize(2).as("not retried").extracting(c -> c.outcome())
                .containsExactly("MalformedPolicyDocument", "PackedPolicyTooLarge");
    }

    @Test
    @DisplayName("IDPCommunicationError is retried with backoff, then a 503")
    void issue_idpCommunicationError_retried() {
        idp.setJwksAvailable(false);
        try {
            assertThatThrownBy(() -> issuer.issue(request(token(), Demo.BUYER_ROLE_ARN, null, Duration.ofHours(1))))
                    .isInstanceOf(CredentialsUnavailableException.class).hasMessageContaining("IDPCommunicationError");
            assertThat(sts.calls()).extracting(c -> c.outcome()).containsExactly("IDPCommunicationError",
                    "IDPCommunicationError", "IDPCommunicationError");
        } finally {
            idp.setJwksAvailable(true);
        }
    }
}

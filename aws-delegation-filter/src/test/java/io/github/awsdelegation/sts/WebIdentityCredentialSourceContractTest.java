package io.github.awsdelegation.sts;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAwsExtension;
import io.github.awsdelegation.testkit.LocalRole;
import io.github.awsdelegation.testkit.LocalSts;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;

/** The {@link CredentialSource} contract for {@link WebIdentityCredentialSource} (AssumeRoleWithWebIdentity). */
class WebIdentityCredentialSourceContractTest extends CredentialSourceContractTest {

    static final String UNTRUSTED_ROLE = "arn:aws:iam::123456789012:role/trusts-another-client";

    @RegisterExtension
    static LocalAwsExtension aws = LocalAwsExtension.builder().build();

    static WebIdentityCredentialSource issuer;

    @BeforeAll
    static void start() {
        aws.sts().addRole(LocalRole.trustingOidc(UNTRUSTED_ROLE, aws.identityProvider().issuer(), "another-client"));
        issuer = new WebIdentityCredentialSource(StsSettings.builder().region(Region.US_EAST_1).endpointOverride(aws.sts().endpoint())
                .callTimeout(Duration.ofSeconds(5)).attemptTimeout(Duration.ofSeconds(2)).maxAttempts(2)
                .retryAfter(Duration.ofSeconds(7)).build());
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @Override
    protected LocalSts sts() {
        return aws.sts();
    }

    @Override
    protected CredentialSource issuer() {
        return issuer;
    }

    @Override
    protected CredentialRequest request(String sessionPolicy, Duration duration) {
        return request(Demo.BUYER_ROLE_ARN, sessionPolicy, duration);
    }

    @Override
    protected CredentialRequest untrustedRoleRequest() {
        return request(UNTRUSTED_ROLE, null, Duration.ofMinutes(15));
    }

    @Override
    protected String action() {
        return "AssumeRoleWithWebIdentity";
    }

    private static CredentialRequest request(String role, String policy, Duration duration) {
        VerifiedIdentity user = new VerifiedIdentity(aws.identityProvider().issuer().toString(), "amazon|contract",
                ConnectionType.SOCIAL, "amazon", List.of(), null, Instant.now().plusSeconds(3600), Map.of());
        String token = aws.identityProvider().newIdToken().subject("amazon|contract").sign();
        return new CredentialRequest(user, token, RoleGrant.of(role), "amazon-contract", policy, duration);
    }
}

package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.ExpiredTokenException;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** GetCallerIdentity signed by the SDK (SigV4) with credentials LocalSts issued, on a fake clock. */
class LocalStsCallerIdentityTest {

    private static final FakeClock CLOCK = FakeClock.now();
    private static LocalAws aws;

    @BeforeAll
    static void start() {
        aws = LocalAws.builder().clock(CLOCK).start();
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    private static Credentials assumeAdmin(int durationSeconds) {
        try (StsClient client = TestSupport.stsClient(aws.sts())) {
            return client.assumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest.builder()
                    .roleArn(Demo.ADMIN_ROLE_ARN).roleSessionName("admin@example.com")
                    .webIdentityToken(aws.identityProvider().idTokenForDatabaseUser(Demo.ADMIN_USERNAME))
                    .durationSeconds(durationSeconds).build()).credentials();
        }
    }

    private static StsClient signedClient(String accessKeyId, String secret, String sessionToken) {
        return TestSupport.stsClient(aws.sts(), StaticCredentialsProvider.create(
                AwsSessionCredentials.create(accessKeyId, secret, sessionToken)));
    }

    @Test
    void assumeRoleWithWebIdentity_onFakeClock_expiresExactlyDurationLater() {
        Credentials credentials = assumeAdmin(900);

        assertThat(credentials.expiration()).isEqualTo(CLOCK.instant().plusSeconds(900));
    }

    @Test
    void getCallerIdentity_issuedCredentials_returnsAssumedRole() {
        Credentials credentials = assumeAdmin(3600);

        GetCallerIdentityResponse identity;
        try (StsClient client = signedClient(credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())) {
            identity = client.getCallerIdentity();
        }

        assertThat(identity.arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/pet-shop-admin/admin@example.com");
        assertThat(identity.userId()).matches("AROA[A-Z2-7]{17}:admin@example.com");
        assertThat(identity.account()).isEqualTo("123456789012");
        assertThat(aws.sts().calls()).last().satisfies(call -> {
            assertThat(call.action()).isEqualTo("GetCallerIdentity");
            assertThat(call.accessKeyId()).isEqualTo(credentials.accessKeyId());
            assertThat(call.roleArn()).isEqualTo(Demo.ADMIN_ROLE_ARN);
            assertThat(call.succeeded()).isTrue();
        });
    }

    @Test
    void getCallerIdentity_wrongSecret_signatureDoesNotMatch() {
        Credentials credentials = assumeAdmin(3600);
        String wrongSecret = credentials.secretAccessKey().substring(1) + "A";

        try (StsClient client = signedClient(credentials.accessKeyId(), wrongSecret, credentials.sessionToken())) {
            StsException error = catchThrowableOfType(StsException.class, client::getCallerIdentity);

            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            assertThat(error.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void getCallerIdentity_wrongSessionToken_invalidClientTokenId() {
        Credentials credentials = assumeAdmin(3600);

        try (StsClient client = signedClient(credentials.accessKeyId(), credentials.secretAccessKey(), "forged-token")) {
            StsException error = catchThrowableOfType(StsException.class, client::getCallerIdentity);

            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
            assertThat(error.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void getCallerIdentity_unknownAccessKey_invalidClientTokenId() {
        try (StsClient client = TestSupport.stsClient(aws.sts(), StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")))) {
            StsException error = catchThrowableOfType(StsException.class, client::getCallerIdentity);

            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
            assertThat(error.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is invalid.");
        }
    }

    @Test
    void getCallerIdentity_afterExpiration_expiredToken() {
        Credentials credentials = assumeAdmin(900);
        CLOCK.advance(Duration.ofSeconds(901));
        try (StsClient client = signedClient(credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())) {
            StsException error = catchThrowableOfType(StsException.class, client::getCallerIdentity);

            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ExpiredToken");
        } finally {
            CLOCK.advance(Duration.ofSeconds(-901));
        }
    }

    @Test
    void assumeRoleWithWebIdentity_idTokenPastItsLifetimeOnTheSharedClock_expiredTokenException() {
        String token = aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID);
        CLOCK.advance(LocalIdentityProvider.DEFAULT_ID_TOKEN_LIFETIME);
        try (StsClient client = TestSupport.stsClient(aws.sts())) {
            ExpiredTokenException error = catchThrowableOfType(ExpiredTokenException.class, () ->
                    client.assumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest.builder().roleArn(Demo.BUYER_ROLE_ARN)
                            .roleSessionName("buyer").webIdentityToken(token).build()));

            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException");
        } finally {
            CLOCK.advance(LocalIdentityProvider.DEFAULT_ID_TOKEN_LIFETIME.negated());
        }
    }
}

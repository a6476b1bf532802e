package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/** STS AssumeRole on the local STS, signed by the SDK with an IAM user's key or with a role session's credentials. */
class LocalStsAssumeRoleTest {

    static final String APP_KEY = "AKIAAPPEXAMPLE000001";
    static final String APP_SECRET = "app-secret-of-the-testkit-0000000000000";
    static final String APP_USER = "arn:aws:iam::123456789012:user/pet-shop-app";
    static final String APP_ROLE = "arn:aws:iam::123456789012:role/pet-shop-app-role";
    static final String TARGET_ROLE = "arn:aws:iam::123456789012:role/pet-shop-worker";

    @RegisterExtension
    static LocalAwsExtension aws = LocalAwsExtension.builder()
            .sts(sts -> sts.accessKey(APP_KEY, APP_SECRET, APP_USER)
                    .role(LocalRole.builder().arn(APP_ROLE).trustPolicy(LocalRole.assumeRoleTrustPolicy(APP_USER))
                            .maxSessionDuration(java.time.Duration.ofHours(4)).build())
                    .role(LocalRole.builder().arn(TARGET_ROLE).trustPolicy(LocalRole.assumeRoleTrustPolicy(APP_ROLE))
                            .maxSessionDuration(java.time.Duration.ofHours(4)).build()))
            .build();

    static StsClient asApp(LocalSts sts) {
        return TestSupport.stsClient(sts, StaticCredentialsProvider.create(AwsBasicCredentials.create(APP_KEY, APP_SECRET)));
    }

    @Test
    @DisplayName("an IAM user assumes a role with tags, transitive keys, a source identity and a session policy")
    void assumeRole_withScoping(LocalSts sts) {
        AssumeRoleResponse response;
        try (StsClient client = asApp(sts)) {
            response = client.assumeRole(b -> b.roleArn(APP_ROLE).roleSessionName("auth0-42").durationSeconds(7200)
                    .tags(t -> t.key("team").value("blue"), t -> t.key("sub").value("auth0-42"))
                    .transitiveTagKeys("team").sourceIdentity("auth0-42")
                    .policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"));
        }

        assertThat(response.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/pet-shop-app-role/auth0-42");
        assertThat(response.sourceIdentity()).isEqualTo("auth0-42");
        assertThat(response.packedPolicySize()).isPositive();
        assertThat(sts.session(response.credentials().accessKeyId())).hasValueSatisfying(s -> {
            assertThat(s.sessionTags()).containsEntry("team", "blue").containsEntry("sub", "auth0-42");
            assertThat(s.transitiveTagKeys()).containsExactly("team");
            assertThat(s.sessionPolicy()).contains("s3:GetObject");
            assertThat(s.subject()).isNull();
        });
    }

    @Test
    @DisplayName("role chaining is capped at 1 hour and carries transitive tags and the source identity")
    void roleChaining(LocalSts sts) {
        Credentials first;
        try (StsClient client = asApp(sts)) {
            first = client.assumeRole(b -> b.roleArn(APP_ROLE).roleSessionName("first").sourceIdentity("auth0-7")
                    .tags(t -> t.key("team").value("red")).transitiveTagKeys("team")).credentials();
        }
        try (StsClient chained = TestSupport.stsClient(sts, StaticCredentialsProvider.create(
                AwsSessionCredentials.create(first.accessKeyId(), first.secretAccessKey(), first.sessionToken())))) {
            StsException tooLong = catchThrowableOfType(StsException.class, () -> chained.assumeRole(b -> b.roleArn(TARGET_ROLE)
                    .roleSessionName("second").durationSeconds(3601)));
            assertThat(tooLong.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(tooLong.awsErrorDetails().errorMessage()).contains("1 hour session limit for roles assumed by role chaining");

            Credentials second = chained.assumeRole(b -> b.roleArn(TARGET_ROLE).roleSessionName("second").durationSeconds(3600))
                    .credentials();
            assertThat(sts.session(second.accessKeyId())).hasValueSatisfying(s -> {
                assertThat(s.sessionTags()).containsEntry("team", "red");
                assertThat(s.sourceIdentity()).isEqualTo("auth0-7");
            });
        }
    }

    @Test
    @DisplayName("a caller the trust policy does not name, or a bad signature, is refused")
    void refusals(LocalSts sts) {
        try (StsClient client = asApp(sts)) {
            StsException denied = catchThrowableOfType(StsException.class, () -> client.assumeRole(b -> b.roleArn(TARGET_ROLE)
                    .roleSessionName("nope")));
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(denied.awsErrorDetails().errorMessage()).isEqualTo("User: " + APP_USER
                    + " is not authorized to perform: sts:AssumeRole on resource: " + TARGET_ROLE);
        }
        try (StsClient wrong = TestSupport.stsClient(sts, StaticCredentialsProvider.create(
                AwsBasicCredentials.create(APP_KEY, "x" + APP_SECRET.substring(1))))) {
            StsException signature = catchThrowableOfType(StsException.class, () -> wrong.assumeRole(b -> b.roleArn(APP_ROLE)
                    .roleSessionName("nope")));
            assertThat(signature.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
        }
    }

    @Test
    @DisplayName("AssumeRole answers the STS model's constraints with the same messages as AssumeRoleWithWebIdentity (one flow)")
    void constraints_shareTheWebIdentityMessages(LocalSts sts) {
        try (StsClient client = asApp(sts)) {
            StsException shortName = catchThrowableOfType(StsException.class, () -> client.assumeRole(b -> b.roleArn(APP_ROLE)
                    .roleSessionName("x")));
            assertThat(shortName.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(shortName.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value 'x' at"
                    + " 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2");

            StsException shortDuration = catchThrowableOfType(StsException.class, () -> client.assumeRole(b -> b
                    .roleArn(APP_ROLE).roleSessionName("ok").durationSeconds(899)));
            assertThat(shortDuration.awsErrorDetails().errorMessage()).contains("Value '899' at 'durationSeconds' failed to"
                    + " satisfy constraint: Member must have value greater than or equal to 900");

            StsException overMaximum = catchThrowableOfType(StsException.class, () -> client.assumeRole(b -> b
                    .roleArn(APP_ROLE).roleSessionName("ok").durationSeconds(14401)));
            assertThat(overMaximum.awsErrorDetails().errorMessage())
                    .isEqualTo("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");

            StsException missingRole = catchThrowableOfType(StsException.class, () -> client.assumeRole(b -> b
                    .roleArn("arn:aws:iam::123456789012:role/missing").roleSessionName("ok")));
            assertThat(missingRole.awsErrorDetails().errorMessage()).isEqualTo("User: " + APP_USER
                    + " is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/missing");
        }
    }
}

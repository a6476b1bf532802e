package io.github.awsdelegation.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.Identities;
import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleScope;
import io.github.awsdelegation.scope.SessionScope;
import io.github.awsdelegation.sts.internal.DurationLearningCredentialSource;
import io.github.awsdelegation.testkit.LocalAwsExtension;
import io.github.awsdelegation.testkit.LocalRole;
import io.github.awsdelegation.testkit.LocalSts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The AssumeRole issuer against the testkit's STS, signed with an app's IAM user key or with a role session. */
class AssumeRoleCredentialSourceTest {

    static final String APP_KEY = "AKIAAPPEXAMPLE000002";
    static final String APP_SECRET = "app-secret-for-the-issuer-test-00000000";
    static final String APP_USER = "arn:aws:iam::123456789012:user/pet-shop-app";
    static final String WORKER = "arn:aws:iam::123456789012:role/pet-shop-worker";
    static final String STRICT = "arn:aws:iam::123456789012:role/no-tags";
    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}";

    @RegisterExtension
    static LocalAwsExtension aws = LocalAwsExtension.builder()
            .sts(sts -> sts.accessKey(APP_KEY, APP_SECRET, APP_USER)
                    .managedPolicy("arn:aws:iam::123456789012:policy/read-only", POLICY)
                    .role(LocalRole.builder().arn(WORKER).trustPolicy(LocalRole.assumeRoleTrustPolicy(APP_USER, WORKER))
                            .maxSessionDuration(Duration.ofHours(6)).build())
                    .role(LocalRole.builder().arn(STRICT).trustPolicy("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                            + "\"Principal\":{\"AWS\":\"" + APP_USER + "\"},\"Action\":\"sts:AssumeRole\"}}").build()))
            .build();

    static StsSettings settings(LocalSts sts) {
        return StsSettings.builder().region(Region.US_EAST_1).endpointOverride(sts.endpoint()).build();
    }

    static CredentialRequest request(String roleArn, Duration duration, SessionScope scope) {
        RoleGrant role = RoleGrant.builder(roleArn).federation(RoleGrant.Federation.ASSUME_ROLE).scope(RoleScope.none()).build();
        return CredentialRequest.of(Identities.social("amazon|1"), null, role, "amazon-1", scope, duration);
    }

    @Test
    @DisplayName("sends the session policy, managed policies, tags, transitive keys and source identity to STS AssumeRole")
    void issue_sendsTheWholeScope(LocalSts sts) {
        SessionScope scope = new SessionScope(POLICY, List.of("arn:aws:iam::123456789012:policy/read-only"),
                Map.of("team", "blue"), List.of("team"), "amazon-1");
        try (AssumeRoleCredentialSource issuer = new AssumeRoleCredentialSource(settings(sts),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(APP_KEY, APP_SECRET)))) {
            IssuedCredentials issued = issuer.issue(request(WORKER, Duration.ofHours(3), scope));

            assertThat(issued.assumedRoleArn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/pet-shop-worker/amazon-1");
            assertThat(issued.remainingAt(Instant.now())).isGreaterThan(Duration.ofMinutes(179));
            assertThat(sts.session(issued.credentials().accessKeyId())).hasValueSatisfying(s -> {
                assertThat(s.sessionPolicy()).isEqualTo(POLICY);
                assertThat(s.policyArns()).containsExactly("arn:aws:iam::123456789012:policy/read-only");
                assertThat(s.sessionTags()).containsEntry("team", "blue");
                assertThat(s.transitiveTagKeys()).containsExactly("team");
                assertThat(s.sourceIdentity()).isEqualTo("amazon-1");
            });
        }
    }

    @Test
    @DisplayName("with role-session credentials (role chaining) the duration is capped at 1 hour")
    void issue_roleChaining_cappedAtOneHour(LocalSts sts) {
        IssuedCredentials first;
        try (AssumeRoleCredentialSource issuer = new AssumeRoleCredentialSource(settings(sts),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(APP_KEY, APP_SECRET)))) {
            first = issuer.issue(request(WORKER, Duration.ofHours(1), SessionScope.none()));
        }
        AwsSessionCredentials session = first.credentials();
        try (AssumeRoleCredentialSource chained = new AssumeRoleCredentialSource(settings(sts), StaticCredentialsProvider.create(session))) {
            assertThat(chained.isRoleChaining()).isTrue();

            IssuedCredentials second = chained.issue(request(WORKER, Duration.ofHours(3), SessionScope.none()));

            assertThat(second.remainingAt(Instant.now())).isLessThanOrEqualTo(Duration.ofHours(1));
            assertThat(sts.calls()).last().satisfies(c -> assertThat(c.durationSeconds()).isEqualTo(3600));
        }
    }

    @Test
    @DisplayName("a trust policy without sts:TagSession refuses tags: 403 naming AccessDenied; a wrong secret likewise")
    void issue_refusals(LocalSts sts) {
        try (AssumeRoleCredentialSource issuer = new AssumeRoleCredentialSource(settings(sts),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(APP_KEY, APP_SECRET)));
                AssumeRoleCredentialSource wrong = new AssumeRoleCredentialSource(settings(sts),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(APP_KEY, "x" + APP_SECRET.substring(1))))) {
            assertThatThrownBy(() -> issuer.issue(request(STRICT, Duration.ofHours(1),
                    new SessionScope(null, List.of(), Map.of("team", "blue"), List.of(), null))))
                    .isInstanceOf(RoleDeniedException.class)
                    .hasMessageContaining("STS refused role " + STRICT + ": AccessDenied")
                    .hasMessageContaining("sts:TagSession");
            assertThatThrownBy(() -> wrong.issue(request(WORKER, Duration.ofHours(1), SessionScope.none())))
                    .isInstanceOf(RoleDeniedException.class).hasMessageContaining("SignatureDoesNotMatch")
                    .hasMessageNotContaining(APP_SECRET);
        }
    }

    @Test
    @DisplayName("a duration over the role's maximum is retried once with 1 hour, and remembered for the role")
    void durationOverTheRoleMaximum_learned(LocalSts sts) {
        io.github.awsdelegation.scope.internal.SessionDurations durations = new io.github.awsdelegation.scope.internal.SessionDurations();
        try (CredentialSource issuer = new DurationLearningCredentialSource(new AssumeRoleCredentialSource(settings(sts),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(APP_KEY, APP_SECRET))), durations)) {
            sts.resetCalls();

            IssuedCredentials issued = issuer.issue(request(STRICT, Duration.ofHours(2), SessionScope.none()));

            assertThat(issued.remainingAt(Instant.now())).isLessThanOrEqualTo(Duration.ofHours(1));
            assertThat(sts.calls()).extracting(c -> c.outcome()).containsExactly("ValidationError", "Success");
            assertThat(durations.learnedMaximum(STRICT)).hasValue(Duration.ofHours(1));
            assertThat(durations.choose(STRICT, Duration.ofHours(2), false)).isEqualTo(Duration.ofHours(1));
        }
    }
}

package io.github.awsdelegation.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.scope.internal.RoleSessionNames;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAwsExtension;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalRole;
import io.github.awsdelegation.testkit.LocalSts;
import io.github.awsdelegation.testkit.s3.LocalS3;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The whole pipeline with an {@code assume-role} role scoped by tags from the user's groups, a source identity and a
 * duration over the role's maximum, against the testkit's STS and S3: the tags travel to STS and S3 enforces them.
 */
class ScopedDelegationTest {

    static final String APP_KEY = "AKIAAPPEXAMPLE000004";
    static final String APP_SECRET = "app-secret-for-the-scoped-delegation-00";
    static final String APP_USER = "arn:aws:iam::123456789012:user/pet-shop-app";
    static final String TEAMS_ROLE = "arn:aws:iam::123456789012:role/pet-shop-teams";

    @RegisterExtension
    static LocalAwsExtension aws = LocalAwsExtension.builder()
            .sts(sts -> sts.accessKey(APP_KEY, APP_SECRET, APP_USER)
                    .role(LocalRole.builder().arn(TEAMS_ROLE).trustPolicy(LocalRole.assumeRoleTrustPolicy(APP_USER))
                            .permissionPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                    + "\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],"
                                    + "\"Resource\":\"arn:aws:s3:::pet-shop/teams/${aws:PrincipalTag/team}/*\"}]}")
                            .build()))
            .build();

    static DelegationService service;

    @BeforeAll
    static void start(LocalIdentityProvider idp, LocalSts sts) {
        service = DelegationService.create(DelegationConfigLoader.withVariables(Map.of("ISSUER", idp.issuer().toString(),
                "STS", sts.endpoint().toString(), "APP_KEY", APP_KEY, "APP_SECRET", APP_SECRET, "ROLE", TEAMS_ROLE)).parse("""
                oidc:
                  issuer: ${ISSUER}
                  clientId: pet-shop
                sts:
                  region: us-east-1
                  endpoint: ${STS}
                  credentials:
                    accessKeyId: ${APP_KEY}
                    secretAccessKey: ${APP_SECRET}
                rules:
                  - id: teams
                    roles:
                      - arn: ${ROLE}
                        federation: assume-role
                        sessionDuration: 2h
                        tags:
                          team: ${groups}
                        transitiveTags: [team]
                        sourceIdentity: ${sessionName}
                """));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static S3Client s3(LocalS3 local, Delegation delegation) {
        return S3Client.builder().endpointOverride(local.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(delegation.credentials().credentials()))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    @DisplayName("the user's group becomes a session tag that S3 enforces; the source identity and transitive key travel too")
    void tagsFromGroups_enforcedByS3(LocalIdentityProvider idp, LocalSts sts, LocalS3 local) {
        local.putObject(Demo.PETS_BUCKET, "teams/blue/plan.txt", "blue plan".getBytes());
        local.putObject(Demo.PETS_BUCKET, "teams/red/plan.txt", "red plan".getBytes());

        Delegation blue = service.delegate(idp.newIdToken().subject("auth0|blue1").claim("groups", List.of("blue")).sign(), null, null);

        assertThat(sts.session(blue.credentials().credentials().accessKeyId())).hasValueSatisfying(s -> {
            assertThat(s.sessionTags()).containsExactly(Map.entry("team", "blue"));
            assertThat(s.transitiveTagKeys()).containsExactly("team");
            assertThat(s.sourceIdentity()).isEqualTo(RoleSessionNames.of("auth0|blue1"));
        });
        try (S3Client s3 = s3(local, blue)) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket(Demo.PETS_BUCKET).key("teams/blue/plan.txt")).asUtf8String())
                    .isEqualTo("blue plan");
            S3Exception denied = catchThrowableOfType(S3Exception.class,
                    () -> s3.getObjectAsBytes(b -> b.bucket(Demo.PETS_BUCKET).key("teams/red/plan.txt")));
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            s3.putObject(b -> b.bucket(Demo.PETS_BUCKET).key("teams/blue/notes.txt"), RequestBody.fromString("ok"));
        }
    }

    @Test
    @DisplayName("a duration over the role's maximum costs one retry, once: the next user gets 1 hour at the first call")
    void durationOverTheRoleMaximum_learnedOnce(LocalIdentityProvider idp, LocalSts sts) {
        sts.resetCalls();
        Delegation first = service.delegate(idp.newIdToken().subject("auth0|red1").claim("groups", List.of("red")).sign(), null, null);
        Delegation second = service.delegate(idp.newIdToken().subject("auth0|red2").claim("groups", List.of("red")).sign(), null, null);

        assertThat(sts.calls()).extracting(c -> c.outcome() + " " + c.durationSeconds())
                .containsExactly("ValidationError 7200", "Success 3600", "Success 3600");
        assertThat(first.credentials().remainingAt(Instant.now())).isLessThanOrEqualTo(Duration.ofHours(1));
        assertThat(second.credentials().remainingAt(Instant.now())).isLessThanOrEqualTo(Duration.ofHours(1));
    }
}

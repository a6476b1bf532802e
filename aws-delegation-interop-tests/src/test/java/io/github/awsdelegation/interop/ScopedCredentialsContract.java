package io.github.awsdelegation.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.scope.internal.RoleSessionNames;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The scenarios that prove the module's credentials are scoped the way it asked, run against every STS + S3 (as the
 * AWS SDK's {@code StsCredentialsProviderTestBase} runs one contract against every provider): the testkit's local
 * AWS and Ceph RGW, an independent implementation. A difference between the two shows up as a failing test.
 *
 * <p>Each scenario goes through the whole module — the configuration document, ID token validation against the
 * identity provider, the role rules, the scoping, the STS call — and then uses the credentials with the AWS SDK's
 * {@code S3Client}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ScopedCredentialsContract {

    static final String CONFIG = """
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
              - id: own-folder
                claims: [{name: scenario, equals: own-folder}]
                roles:
                  - arn: ${SCOPED_ROLE}
                    sessionPolicy: '${OWN_FOLDER}'
              - id: role-only
                claims: [{name: scenario, equals: role-only}]
                roles:
                  - arn: ${SCOPED_ROLE}
              - id: team
                claims: [{name: scenario, equals: team}]
                roles:
                  - arn: ${TEAM_ROLE}
              - id: app
                claims: [{name: scenario, equals: app}]
                roles:
                  - arn: ${APP_ROLE}
                    federation: assume-role
                    sessionPolicy: '${OWN_FOLDER}'
                    sourceIdentity: ${sessionName}
              - id: untrusted
                claims: [{name: scenario, equals: untrusted}]
                roles:
                  - arn: ${APP_ROLE}
            """;

    static final String ALICE = "amazon|interop-alice";
    static final String BOB = "amazon|interop-bob";

    InteropTarget target;
    DelegationService service;

    /** Starts and sets up the STS + S3 under test. */
    abstract InteropTarget startTarget();

    @BeforeAll
    void start() {
        target = startTarget();
        service = DelegationService.create(DelegationConfigLoader.withVariables(Map.of(
                "ISSUER", target.identityProvider().issuer().toString(),
                "STS", target.stsEndpoint().toString(),
                "APP_KEY", target.appAccessKeyId(),
                "APP_SECRET", target.appSecretAccessKey(),
                "SCOPED_ROLE", target.scopedRoleArn(),
                "TEAM_ROLE", target.teamRoleArn(),
                "APP_ROLE", target.appRoleArn(),
                "OWN_FOLDER", Policies.OWN_FOLDER_TEMPLATE)).parse(CONFIG));
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        if (target != null) {
            target.close();
        }
    }

    Delegation delegate(String subject, String scenario, Consumer<io.github.awsdelegation.testkit.IdTokenBuilder> more) {
        LocalIdentityProvider idp = target.identityProvider();
        io.github.awsdelegation.testkit.IdTokenBuilder token = idp.newIdToken().subject(subject).claim("scenario", scenario);
        more.accept(token);
        return service.delegate(token.sign(), null, null);
    }

    Delegation delegate(String subject, String scenario) {
        return delegate(subject, scenario, t -> { });
    }

    S3Client s3(Delegation delegation) {
        // RGW 16 predates S3's flexible checksums; both targets get the same client.
        return S3Client.builder().endpointOverride(target.s3Endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(delegation.credentials().credentials()))
                .httpClient(UrlConnectionHttpClient.create())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static void assertDenied(Runnable call) {
        S3Exception e = catchThrowableOfType(S3Exception.class, call::run);
        assertThat(e).as("the call should have been denied").isNotNull();
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    }

    @Test
    @DisplayName("web identity: the user's own prefix is writable, readable and listable")
    void ownPrefix_writableAndReadable() {
        Delegation alice = delegate(ALICE, "own-folder");
        try (S3Client s3 = s3(alice)) {
            s3.putObject(b -> b.bucket(InteropTarget.BUCKET).key(ALICE + "/notes.txt"), RequestBody.fromString("mine"));

            assertThat(s3.getObjectAsBytes(b -> b.bucket(InteropTarget.BUCKET).key(ALICE + "/notes.txt")).asUtf8String())
                    .isEqualTo("mine");
            assertThat(s3.listObjectsV2(b -> b.bucket(InteropTarget.BUCKET).prefix(ALICE + "/")).contents())
                    .extracting(S3Object::key).contains(ALICE + "/notes.txt");
        }
        // amazon|interop-alice: the | is replaced, so the session name ends with a hash of the subject (one name per user).
        assertThat(alice.credentials().assumedRoleArn()).endsWith("/" + RoleSessionNames.of(ALICE))
                .matches(".*/amazon-interop-alice-[0-9a-f]{12}");
    }

    @Test
    @DisplayName("web identity: another user's prefix is denied for reading, writing and listing")
    void otherUsersPrefix_denied() {
        target.seed(InteropTarget.BUCKET, BOB + "/secret.txt", "bob's");
        Delegation alice = delegate(ALICE, "own-folder");
        try (S3Client s3 = s3(alice)) {
            assertDenied(() -> s3.getObjectAsBytes(b -> b.bucket(InteropTarget.BUCKET).key(BOB + "/secret.txt")));
            assertDenied(() -> s3.putObject(b -> b.bucket(InteropTarget.BUCKET).key(BOB + "/planted.txt"),
                    RequestBody.fromString("x")));
            assertDenied(() -> s3.listObjectsV2(b -> b.bucket(InteropTarget.BUCKET).prefix(BOB + "/")));
        }
    }

    @Test
    @DisplayName("web identity: other buckets are denied")
    void otherBuckets_denied() {
        target.seed(InteropTarget.OTHER_BUCKET, "file.txt", "other");
        Delegation alice = delegate(ALICE, "own-folder");
        try (S3Client s3 = s3(alice)) {
            assertDenied(() -> s3.getObjectAsBytes(b -> b.bucket(InteropTarget.OTHER_BUCKET).key("file.txt")));
            assertDenied(() -> s3.putObject(b -> b.bucket(InteropTarget.OTHER_BUCKET).key(ALICE + "/x"), RequestBody.fromString("x")));
        }
    }

    @Test
    @DisplayName("a session policy narrows what the role allows: the role alone may write shared/, the scoped session may not")
    void sessionPolicy_narrowsTheRole() {
        Delegation unscoped = delegate("amazon|interop-carol", "role-only");
        Delegation scoped = delegate(ALICE, "own-folder");
        try (S3Client roleOnly = s3(unscoped); S3Client narrowed = s3(scoped)) {
            roleOnly.putObject(b -> b.bucket(InteropTarget.BUCKET).key("shared/carol.txt"), RequestBody.fromString("ok"));

            assertDenied(() -> narrowed.putObject(b -> b.bucket(InteropTarget.BUCKET).key("shared/alice.txt"),
                    RequestBody.fromString("no")));
            assertDenied(() -> narrowed.getObjectAsBytes(b -> b.bucket(InteropTarget.BUCKET).key("shared/carol.txt")));
        }
    }

    @Test
    @DisplayName("a PrincipalTag condition allows one tag value and denies another (tags from the ID token)")
    void principalTag_allowsOneValueDeniesAnother() {
        target.seed(InteropTarget.BUCKET, "teams/roster.txt", "blue team");
        Delegation blue = delegate("amazon|interop-dave", "team", t -> t.claim("https://aws.amazon.com/tags",
                Map.of("principal_tags", Map.of("team", List.of("blue")))));
        Delegation red = delegate("amazon|interop-erin", "team", t -> t.claim("https://aws.amazon.com/tags",
                Map.of("principal_tags", Map.of("team", List.of("red")))));
        try (S3Client blueS3 = s3(blue); S3Client redS3 = s3(red)) {
            assertThat(blueS3.getObjectAsBytes(b -> b.bucket(InteropTarget.BUCKET).key("teams/roster.txt")).asUtf8String())
                    .isEqualTo("blue team");
            assertDenied(() -> redS3.getObjectAsBytes(b -> b.bucket(InteropTarget.BUCKET).key("teams/roster.txt")));
        }
    }

    @Test
    @DisplayName("AssumeRole with the app's own credentials: the session policy scopes the role to the user's prefix")
    void assumeRole_scopedToTheUser() {
        target.seed(InteropTarget.BUCKET, BOB + "/secret.txt", "bob's");
        Delegation frank = delegate("amazon|interop-frank", "app");
        try (S3Client s3 = s3(frank)) {
            s3.putObject(b -> b.bucket(InteropTarget.BUCKET).key("amazon|interop-frank/report.txt"), RequestBody.fromString("f"));
            assertThat(s3.getObjectAsBytes(b -> b.bucket(InteropTarget.BUCKET).key("amazon|interop-frank/report.txt"))
                    .asUtf8String()).isEqualTo("f");

            assertDenied(() -> s3.getObjectAsBytes(b -> b.bucket(InteropTarget.BUCKET).key(BOB + "/secret.txt")));
            assertDenied(() -> s3.putObject(b -> b.bucket(InteropTarget.BUCKET).key("shared/frank.txt"), RequestBody.fromString("x")));
        }
        assertThat(frank.credentials().assumedRoleArn()).endsWith("/" + RoleSessionNames.of("amazon|interop-frank"))
                .matches(".*/amazon-interop-frank-[0-9a-f]{12}");
    }

    @Test
    @DisplayName("a role whose trust policy does not trust the identity provider is a 403 (role denied), never a 503")
    void untrustedRole_isRoleDenied() {
        assertThatThrownBy(() -> delegate("amazon|interop-gina", "untrusted"))
                .isInstanceOf(RoleDeniedException.class)
                .hasMessageContaining("STS refused role " + target.appRoleArn());
    }
}

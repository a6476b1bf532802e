package io.github.awsdelegation.testkit.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.FakeClock;
import io.github.awsdelegation.testkit.LocalAwsExtension;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.Credentials;

/** The local S3 driven by the AWS SDK's S3Client with credentials the local STS issued for the demo roles. */
class LocalS3Test {

    static final FakeClock CLOCK = FakeClock.now();

    @RegisterExtension
    static LocalAwsExtension aws = LocalAwsExtension.builder().clock(CLOCK)
            .sts(sts -> sts.managedPolicy("arn:aws:iam::123456789012:policy/read-only",
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],"
                            + "\"Resource\":\"*\"}]}"))
            .s3(s3 -> s3.bucket("other-bucket"))
            .build();

    static final String BUYER = "amazon|amzn1.account.BUYER1";
    static final String OTHER_BUYER = "amazon|amzn1.account.BUYER2";

    static Credentials assume(LocalIdentityProvider idp, LocalSts sts, String roleArn, String subject, String policy,
            String... policyArns) {
        try (StsClient client = StsClient.builder().endpointOverride(sts.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).httpClient(UrlConnectionHttpClient.create())
                .build()) {
            AssumeRoleWithWebIdentityRequest.Builder request = AssumeRoleWithWebIdentityRequest.builder().roleArn(roleArn)
                    .roleSessionName("s-" + Math.abs(subject.hashCode()))
                    .webIdentityToken(idp.newIdToken().subject(subject).sign()).policy(policy);
            if (policyArns.length > 0) {
                request.policyArns(p -> p.arn(policyArns[0]));
            }
            return client.assumeRoleWithWebIdentity(request.build()).credentials();
        }
    }

    static S3Client s3(LocalS3 s3, Credentials c) {
        return s3(s3, c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    }

    static S3Client s3(LocalS3 s3, String accessKeyId, String secret, String token) {
        return S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(accessKeyId, secret, token)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static S3Exception denied(Runnable call) {
        return catchThrowableOfType(S3Exception.class, call::run);
    }

    @Test
    @DisplayName("a buyer writes, reads, lists and deletes objects in their own folder with the SDK's S3Client")
    void buyer_ownFolder(LocalIdentityProvider idp, LocalSts sts, LocalS3 local) {
        Credentials credentials = assume(idp, sts, Demo.BUYER_ROLE_ARN, BUYER, null);
        try (S3Client s3 = s3(local, credentials)) {
            s3.putObject(b -> b.bucket(Demo.PETS_BUCKET).key(BUYER + "/notes/first.txt").contentType("text/plain"),
                    RequestBody.fromString("hello"));
            s3.putObject(b -> b.bucket(Demo.PETS_BUCKET).key(BUYER + "/photo.bin"), RequestBody.fromBytes(new byte[70_000]));

            assertThat(s3.getObjectAsBytes(b -> b.bucket(Demo.PETS_BUCKET).key(BUYER + "/notes/first.txt")).asUtf8String())
                    .isEqualTo("hello");
            assertThat(local.object(Demo.PETS_BUCKET, BUYER + "/photo.bin")).hasValueSatisfying(b -> assertThat(b).hasSize(70_000));
            ListObjectsV2Response listed = s3.listObjectsV2(b -> b.bucket(Demo.PETS_BUCKET).prefix(BUYER + "/").delimiter("/"));
            assertThat(listed.contents()).extracting(S3Object::key).containsExactly(BUYER + "/photo.bin");
            assertThat(listed.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly(BUYER + "/notes/");

            s3.deleteObject(b -> b.bucket(Demo.PETS_BUCKET).key(BUYER + "/photo.bin"));
            assertThat(local.keys(Demo.PETS_BUCKET)).doesNotContain(BUYER + "/photo.bin");
        }
    }

    @Test
    @DisplayName("a buyer is denied another user's folder, a listing outside their prefix and other buckets, with AccessDenied")
    void buyer_othersDenied(LocalIdentityProvider idp, LocalSts sts, LocalS3 local) {
        local.putObject(Demo.PETS_BUCKET, OTHER_BUYER + "/secret.txt", "theirs".getBytes());
        local.putObject("other-bucket", "file.txt", "x".getBytes());
        Credentials credentials = assume(idp, sts, Demo.BUYER_ROLE_ARN, BUYER, null);
        try (S3Client s3 = s3(local, credentials)) {
            S3Exception read = denied(() -> s3.getObjectAsBytes(b -> b.bucket(Demo.PETS_BUCKET).key(OTHER_BUYER + "/secret.txt")));
            S3Exception write = denied(() -> s3.putObject(b -> b.bucket(Demo.PETS_BUCKET).key(OTHER_BUYER + "/x"),
                    RequestBody.fromString("mine now")));
            S3Exception list = denied(() -> s3.listObjectsV2(b -> b.bucket(Demo.PETS_BUCKET).prefix(OTHER_BUYER + "/")));
            S3Exception listAll = denied(() -> s3.listObjectsV2(b -> b.bucket(Demo.PETS_BUCKET)));
            S3Exception otherBucket = denied(() -> s3.getObjectAsBytes(b -> b.bucket("other-bucket").key("file.txt")));
            S3Exception create = denied(() -> s3.createBucket(b -> b.bucket("buyers-own-bucket")));

            for (S3Exception e : new S3Exception[] {read, write, list, listAll, otherBucket, create}) {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Access Denied");
            }
        }
        assertThat(local.object(Demo.PETS_BUCKET, OTHER_BUYER + "/x")).isEmpty();
        assertThat(local.calls()).filteredOn(c -> "CreateBucket".equals(c.operation())).last()
                .satisfies(c -> assertThat(c.reason()).contains("no statement of the role's permission policies allows s3:CreateBucket"));
    }

    @Test
    @DisplayName("a session policy narrows the role: an admin limited to one prefix is denied the rest")
    void sessionPolicy_narrowsTheRole(LocalIdentityProvider idp, LocalSts sts, LocalS3 local) {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],"
                + "\"Resource\":\"arn:aws:s3:::pet-shop/reports/*\"},{\"Effect\":\"Allow\",\"Action\":\"s3:CreateBucket\","
                + "\"Resource\":\"arn:aws:s3:::not-pet-shop\"}]}";
        Credentials credentials = assume(idp, sts, Demo.ADMIN_ROLE_ARN, "auth0|admin", policy);
        try (S3Client s3 = s3(local, credentials)) {
            s3.putObject(b -> b.bucket(Demo.PETS_BUCKET).key("reports/q1.csv"), RequestBody.fromString("1,2"));

            assertThat(denied(() -> s3.putObject(b -> b.bucket(Demo.PETS_BUCKET).key("pets/dog.json"),
                    RequestBody.fromString("{}"))).statusCode()).isEqualTo(403);
            assertThat(denied(() -> s3.createBucket(b -> b.bucket("not-pet-shop"))).statusCode())
                    .as("the session policy cannot grant what the role does not").isEqualTo(403);
        }
        assertThat(local.calls()).last().satisfies(c -> assertThat(c.reason())
                .contains("no statement of the role's permission policies allows s3:CreateBucket"));
    }

    @Test
    @DisplayName("managed session policies (PolicyArns) narrow the role too")
    void managedSessionPolicy(LocalIdentityProvider idp, LocalSts sts, LocalS3 local) {
        local.putObject(Demo.PETS_BUCKET, "catalogue.json", "[]".getBytes());
        Credentials credentials = assume(idp, sts, Demo.ADMIN_ROLE_ARN, "auth0|admin", null,
                "arn:aws:iam::123456789012:policy/read-only");
        try (S3Client s3 = s3(local, credentials)) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket(Demo.PETS_BUCKET).key("catalogue.json")).asUtf8String()).isEqualTo("[]");
            assertThat(denied(() -> s3.deleteObject(b -> b.bucket(Demo.PETS_BUCKET).key("catalogue.json"))).statusCode())
                    .isEqualTo(403);
        }
    }

    @Test
    @DisplayName("an admin creates buckets and lists everything")
    void admin_bucketOperations(LocalIdentityProvider idp, LocalSts sts, LocalS3 local) {
        sts.addRole(io.github.awsdelegation.testkit.LocalRole.builder().arn("arn:aws:iam::123456789012:role/s3-admin")
                .trustPolicy(io.github.awsdelegation.testkit.LocalRole.webIdentityTrustPolicy(Demo.ACCOUNT_ID, idp.issuer(),
                        Demo.CLIENT_ID))
                .permissionPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},"
                        + "{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteBucket\",\"Resource\":\"arn:aws:s3:::pet-shop\"}]}")
                .build());
        Credentials credentials = assume(idp, sts, "arn:aws:iam::123456789012:role/s3-admin", "auth0|root", null);
        try (S3Client s3 = s3(local, credentials)) {
            s3.createBucket(b -> b.bucket("new-bucket"));
            assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("new-bucket", Demo.PETS_BUCKET);
            s3.headBucket(b -> b.bucket("new-bucket"));
            s3.deleteBucket(b -> b.bucket("new-bucket"));
            assertThat(local.bucketNames()).doesNotContain("new-bucket");
            S3Exception deny = denied(() -> s3.deleteBucket(b -> b.bucket(Demo.PETS_BUCKET)));
            assertThat(deny.statusCode()).isEqualTo(403);
            assertThat(local.calls()).last().satisfies(c -> assertThat(c.reason()).contains("statement #2").contains("denies"));
            S3Exception missing = catchThrowableOfType(S3Exception.class,
                    () -> s3.getObjectAsBytes(b -> b.bucket(Demo.PETS_BUCKET).key("nothing-here")));
            assertThat(missing.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
        }
    }

    @Test
    @DisplayName("wrong secret, forged session token, unknown key and expired credentials are refused with S3's codes")
    void authenticationFailures(LocalIdentityProvider idp, LocalSts sts, LocalS3 local) {
        Credentials c = assume(idp, sts, Demo.BUYER_ROLE_ARN, BUYER, null);
        try (S3Client wrongSecret = s3(local, c.accessKeyId(), c.secretAccessKey().substring(1) + "A", c.sessionToken());
                S3Client forged = s3(local, c.accessKeyId(), c.secretAccessKey(), "forged");
                S3Client unknown = s3(local, "ASIAUNKNOWNUNKNOWN00", c.secretAccessKey(), c.sessionToken());
                S3Client good = s3(local, c)) {
            assertThat(denied(() -> wrongSecret.getObjectAsBytes(b -> b.bucket(Demo.PETS_BUCKET).key(BUYER + "/a")))
                    .awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            assertThat(denied(() -> wrongSecret.putObject(b -> b.bucket(Demo.PETS_BUCKET).key(BUYER + "/a"),
                    RequestBody.fromString("x"))).awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            assertThat(denied(() -> forged.getObjectAsBytes(b -> b.bucket(Demo.PETS_BUCKET).key(BUYER + "/a")))
                    .awsErrorDetails().errorCode()).isEqualTo("InvalidToken");
            assertThat(denied(() -> unknown.getObjectAsBytes(b -> b.bucket(Demo.PETS_BUCKET).key(BUYER + "/a")))
                    .awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
            CLOCK.advance(Duration.ofHours(2));
            try {
                S3Exception expired = denied(() -> good.getObjectAsBytes(b -> b.bucket(Demo.PETS_BUCKET).key(BUYER + "/a")));
                assertThat(expired.awsErrorDetails().errorCode()).isEqualTo("ExpiredToken");
                assertThat(expired.statusCode()).isEqualTo(400);
            } finally {
                CLOCK.advance(Duration.ofHours(-2));
            }
        }
    }

    @Test
    @DisplayName("a role policy outside the supported IAM subset fails closed, naming the element")
    void unsupportedPolicy_failsClosed(LocalIdentityProvider idp, LocalSts sts, LocalS3 local) {
        sts.addRole(io.github.awsdelegation.testkit.LocalRole.builder().arn("arn:aws:iam::123456789012:role/exotic")
                .trustPolicy(io.github.awsdelegation.testkit.LocalRole.webIdentityTrustPolicy(Demo.ACCOUNT_ID, idp.issuer(),
                        Demo.CLIENT_ID))
                .permissionPolicy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
                        + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.1/32\"}}}]}")
                .build());
        Credentials credentials = assume(idp, sts, "arn:aws:iam::123456789012:role/exotic", BUYER, null);
        try (S3Client s3 = s3(local, credentials)) {
            assertThat(denied(() -> s3.listBuckets()).awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        }
        assertThat(local.calls()).last().satisfies(c -> assertThat(c.reason())
                .contains("does not support condition operator 'IpAddress'").contains("fails closed"));
    }
}

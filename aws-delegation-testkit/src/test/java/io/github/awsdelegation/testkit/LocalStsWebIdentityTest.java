package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.ExpiredTokenException;
import software.amazon.awssdk.services.sts.model.IdpCommunicationErrorException;
import software.amazon.awssdk.services.sts.model.IdpRejectedClaimException;
import software.amazon.awssdk.services.sts.model.InvalidIdentityTokenException;
import software.amazon.awssdk.services.sts.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.sts.model.PackedPolicyTooLargeException;
import software.amazon.awssdk.services.sts.model.PolicyDescriptorType;
import software.amazon.awssdk.services.sts.model.StsException;

/** The AWS SDK's StsClient, unchanged, against LocalSts: AssumeRoleWithWebIdentity successes and each error. */
class LocalStsWebIdentityTest {

    @RegisterExtension
    static final LocalAwsExtension AWS = LocalAwsExtension.builder()
            .sts(sts -> sts
                    .role(LocalRole.builder().arn("arn:aws:iam::123456789012:role/long-sessions")
                            .trustPolicy("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\","
                                    + "\"Action\":\"sts:AssumeRoleWith*\"}}")
                            .maxSessionDuration(Duration.ofHours(12)).build()))
            .build();

    private static final String SMALL_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::pet-shop/pets/*\"}]}";

    @AfterEach
    void reset() {
        AWS.sts().setFault(Fault.NONE);
        AWS.sts().resetCalls();
        AWS.identityProvider().setJwksAvailable(true);
    }

    private static AssumeRoleWithWebIdentityRequest.Builder request(String roleArn, String token) {
        return AssumeRoleWithWebIdentityRequest.builder().roleArn(roleArn).roleSessionName("session-1").webIdentityToken(token);
    }

    private static AssumeRoleWithWebIdentityRequest.Builder buyer(LocalAws aws) {
        return request(Demo.BUYER_ROLE_ARN, aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID));
    }

    @Test
    @DisplayName("A social user's ID token becomes buyer-role credentials with every response field parsed by the SDK")
    void assumeRoleWithWebIdentity_validToken_returnsCredentialsAndAllFields(LocalIdentityProvider idp, LocalSts sts) {
        String token = idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID);
        Instant before = Instant.now().minusSeconds(1);

        AssumeRoleWithWebIdentityResponse response;
        try (StsClient client = TestSupport.stsClient(sts)) {
            response = client.assumeRoleWithWebIdentity(request(Demo.BUYER_ROLE_ARN, token).durationSeconds(900).build());
        }

        assertThat(response.credentials().accessKeyId()).startsWith("ASIA").hasSize(20);
        assertThat(response.credentials().secretAccessKey()).hasSize(40);
        assertThat(response.credentials().sessionToken()).hasSizeGreaterThan(100);
        assertThat(response.credentials().expiration()).isBetween(before.plusSeconds(900), Instant.now().plusSeconds(901));
        assertThat(response.subjectFromWebIdentityToken()).isEqualTo("amazon|amzn1.account.DEMO");
        assertThat(response.audience()).isEqualTo(Demo.CLIENT_ID);
        assertThat(response.provider()).isEqualTo("arn:aws:iam::123456789012:oidc-provider/127.0.0.1:" + idp.port());
        assertThat(response.assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/pet-shop-buyer/session-1");
        assertThat(response.assumedRoleUser().assumedRoleId()).matches("AROA[A-Z2-7]{17}:session-1");
        assertThat(response.packedPolicySize()).isNull();
        assertThat(response.sourceIdentity()).isNull();
        assertThat(response.responseMetadata().requestId()).isNotBlank();

        IssuedSession session = sts.session(response.credentials().accessKeyId()).orElseThrow();
        assertThat(session.secretAccessKey()).isEqualTo(response.credentials().secretAccessKey());
        assertThat(session.sessionToken()).isEqualTo(response.credentials().sessionToken());
        assertThat(session.roleArn()).isEqualTo(Demo.BUYER_ROLE_ARN);
        assertThat(session.subject()).isEqualTo("amazon|amzn1.account.DEMO");
        assertThat(session.expiration()).isEqualTo(response.credentials().expiration());
        assertThat(session.toString()).doesNotContain(session.secretAccessKey(), session.sessionToken());

        assertThat(sts.calls()).singleElement().satisfies(call -> {
            assertThat(call.action()).isEqualTo("AssumeRoleWithWebIdentity");
            assertThat(call.roleArn()).isEqualTo(Demo.BUYER_ROLE_ARN);
            assertThat(call.roleSessionName()).isEqualTo("session-1");
            assertThat(call.durationSeconds()).isEqualTo(900);
            assertThat(call.succeeded()).isTrue();
            assertThat(call.httpStatus()).isEqualTo(200);
            assertThat(call.accessKeyId()).isEqualTo(response.credentials().accessKeyId());
            assertThat(call.toString()).doesNotContain(token);
        });
        assertThat(sts.callCount("AssumeRoleWithWebIdentity")).isEqualTo(1);
    }

    @Test
    void assumeRoleWithWebIdentity_adminWithSessionPolicyAndPolicyArns_reportsPackedSizeAndKeepsPolicy(LocalAws aws) {
        AssumeRoleWithWebIdentityResponse response;
        try (StsClient client = TestSupport.stsClient(aws.sts())) {
            response = client.assumeRoleWithWebIdentity(request(Demo.ADMIN_ROLE_ARN,
                    aws.identityProvider().idTokenForDatabaseUser(Demo.ADMIN_USERNAME))
                    .policy(SMALL_POLICY)
                    .policyArns(PolicyDescriptorType.builder().arn("arn:aws:iam::aws:policy/ReadOnlyAccess").build())
                    .build());
        }

        assertThat(response.packedPolicySize()).isBetween(1, 100);
        assertThat(response.assumedRoleUser().arn()).endsWith(":assumed-role/pet-shop-admin/session-1");
        IssuedSession session = aws.sts().session(response.credentials().accessKeyId()).orElseThrow();
        assertThat(session.sessionPolicy()).isEqualTo(SMALL_POLICY);
        assertThat(session.policyArns()).containsExactly("arn:aws:iam::aws:policy/ReadOnlyAccess");
        assertThat(aws.sts().calls().get(0).policy()).isEqualTo(SMALL_POLICY);
        assertThat(aws.sts().calls().get(0).policyArns()).containsExactly("arn:aws:iam::aws:policy/ReadOnlyAccess");
    }

    @Test
    void assumeRoleWithWebIdentity_roleWithTwelveHourMax_acceptsTwelveHours(LocalAws aws) {
        try (StsClient client = TestSupport.stsClient(aws.sts())) {
            AssumeRoleWithWebIdentityResponse response = client.assumeRoleWithWebIdentity(request(
                    "arn:aws:iam::123456789012:role/long-sessions", aws.identityProvider().newIdToken().sign())
                    .durationSeconds(43200).build());

            assertThat(response.credentials().expiration()).isAfter(Instant.now().plus(Duration.ofHours(11)));
        }
    }

    @Test
    void assumeRoleWithWebIdentity_sessionTagsAndSourceIdentityClaims_areIssuedWhenTrusted(LocalAws aws) {
        aws.sts().addRole(LocalRole.builder().arn("arn:aws:iam::123456789012:role/tagged")
                .trustPolicy("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
                        + aws.sts().oidcProviderArn(aws.identityProvider().issuer()) + "\"},\"Action\":[\"sts:AssumeRoleWithWebIdentity\","
                        + "\"sts:TagSession\",\"sts:SetSourceIdentity\"]}]}").build());
        String token = aws.identityProvider().newIdToken()
                .claim("https://aws.amazon.com/tags", Map.of("principal_tags", Map.of("team", List.of("pets")),
                        "transitive_tag_keys", List.of("team")))
                .claim("https://aws.amazon.com/source_identity", "alice@example.com")
                .sign();

        try (StsClient client = TestSupport.stsClient(aws.sts())) {
            AssumeRoleWithWebIdentityResponse response = client.assumeRoleWithWebIdentity(
                    request("arn:aws:iam::123456789012:role/tagged", token).build());

            assertThat(response.sourceIdentity()).isEqualTo("alice@example.com");
            assertThat(response.packedPolicySize()).isPositive();
            IssuedSession session = aws.sts().session(response.credentials().accessKeyId()).orElseThrow();
            assertThat(session.sessionTags()).containsExactly(Map.entry("team", "pets"));
            assertThat(session.transitiveTagKeys()).containsExactly("team");

            // The buyer role's trust policy allows TagSession but not SetSourceIdentity.
            StsException denied = catchThrowableOfType(StsException.class, () -> client.assumeRoleWithWebIdentity(
                    request(Demo.BUYER_ROLE_ARN, token).build()));
            assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(denied.awsErrorDetails().errorMessage()).isEqualTo("Not authorized to perform sts:SetSourceIdentity");
        }
    }

    static Stream<Arguments> rejectedRequests() {
        String big = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", IntStream.range(0, 30)
                .mapToObj(i -> "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/" + i + "\"}")
                .toList()) + "]}";
        StringBuilder random = new StringBuilder();
        java.util.Random seeded = new java.util.Random(42);
        while (random.length() < 1900) {
            random.append(Long.toString(seeded.nextLong() & Long.MAX_VALUE, 36));
        }
        String highEntropy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::" + random.substring(0, 1900) + "\"}]}";
        List<PolicyDescriptorType> elevenArns = IntStream.range(0, 11).mapToObj(i -> PolicyDescriptorType.builder()
                .arn("arn:aws:iam::123456789012:policy/p" + i).build()).toList();
        return Stream.of(
                rejected("expired token", ExpiredTokenException.class, "ExpiredTokenException", 400, "Token expired: current date/time",
                        aws -> request(Demo.BUYER_ROLE_ARN, aws.identityProvider().newIdToken()
                                .expiresAt(Instant.now().minusSeconds(60)).sign())),
                rejected("wrong audience", InvalidIdentityTokenException.class, "InvalidIdentityToken", 400, "Incorrect token audience",
                        aws -> request(Demo.BUYER_ROLE_ARN, aws.identityProvider().newIdToken().audience("someone-else").sign())),
                rejected("unknown issuer", InvalidIdentityTokenException.class, "InvalidIdentityToken", 400,
                        "No OpenIDConnect provider found in your account for http://127.0.0.1:1/",
                        aws -> request(Demo.BUYER_ROLE_ARN, aws.identityProvider().newIdToken().issuer("http://127.0.0.1:1/").sign())),
                rejected("forged signature", InvalidIdentityTokenException.class, "InvalidIdentityToken", 400, "signature",
                        aws -> request(Demo.BUYER_ROLE_ARN, aws.identityProvider().newIdToken().signWithForeignKey())),
                rejected("HS256 with the public key", InvalidIdentityTokenException.class, "InvalidIdentityToken", 400, "RS256",
                        aws -> request(Demo.BUYER_ROLE_ARN, aws.identityProvider().newIdToken().signWithAlgorithm("HS256"))),
                rejected("alg none", InvalidIdentityTokenException.class, "InvalidIdentityToken", 400, "not signed",
                        aws -> request(Demo.BUYER_ROLE_ARN, aws.identityProvider().newIdToken().signWithAlgorithm("none"))),
                rejected("unknown kid", InvalidIdentityTokenException.class, "InvalidIdentityToken", 400, "No key with kid 'nope'",
                        aws -> request(Demo.BUYER_ROLE_ARN, aws.identityProvider().newIdToken().keyId("nope").sign())),
                rejected("no sub", InvalidIdentityTokenException.class, "InvalidIdentityToken", 400, "no sub claim",
                        aws -> request(Demo.BUYER_ROLE_ARN, aws.identityProvider().newIdToken().withoutClaim("sub").sign())),
                rejected("not a JWT", InvalidIdentityTokenException.class, "InvalidIdentityToken", 400, "not a valid JWT",
                        aws -> request(Demo.BUYER_ROLE_ARN, "not-a-jwt")),
                rejected("role trusting another audience", StsException.class, "AccessDenied", 403,
                        "Not authorized to perform sts:AssumeRoleWithWebIdentity",
                        aws -> request("arn:aws:iam::123456789012:role/other-audience",
                                aws.identityProvider().newIdToken().sign())),
                rejected("role that does not exist", StsException.class, "AccessDenied", 403,
                        "Not authorized to perform sts:AssumeRoleWithWebIdentity",
                        aws -> request("arn:aws:iam::123456789012:role/missing", aws.identityProvider().newIdToken().sign())),
                rejected("trust policy outside the subset", StsException.class, "AccessDenied", 403,
                        "does not support Condition operator 'StringNotEquals'",
                        aws -> request("arn:aws:iam::123456789012:role/unsupported", aws.identityProvider().newIdToken().sign())),
                rejected("one-character session name", StsException.class, "ValidationError", 400,
                        "Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
                        aws -> buyer(aws).roleSessionName("x")),
                rejected("session name with a space", StsException.class, "ValidationError", 400,
                        "Member must satisfy regular expression pattern: [\\w+=,.@-]*",
                        aws -> buyer(aws).roleSessionName("has space")),
                rejected("duration over the role's maximum", StsException.class, "ValidationError", 400,
                        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
                        aws -> buyer(aws).durationSeconds(7200)),
                rejected("duration under 900 seconds", StsException.class, "ValidationError", 400,
                        "Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
                        aws -> buyer(aws).durationSeconds(899)),
                rejected("policy over 2,048 characters", StsException.class, "ValidationError", 400,
                        "at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048",
                        aws -> buyer(aws).policy(big)),
                rejected("policy that packs too large", PackedPolicyTooLargeException.class, "PackedPolicyTooLarge", 400,
                        "% of allotted space, please use smaller policy.", aws -> buyer(aws).policy(highEntropy)),
                rejected("policy that is not JSON", MalformedPolicyDocumentException.class, "MalformedPolicyDocument", 400,
                        "Syntax errors in policy.", aws -> buyer(aws).policy("{\"Statement\": [")),
                rejected("policy with a principal", MalformedPolicyDocumentException.class, "MalformedPolicyDocument", 400,
                        "should not specify a principal", aws -> buyer(aws).policy("{\"Statement\":{\"Effect\":\"Allow\","
                                + "\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}")),
                rejected("eleven policy ARNs", StsException.class, "ValidationError", 400,
                        "at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10",
                        aws -> buyer(aws).policyArns(elevenArns)),
                rejected("ProviderId with an OIDC token", StsException.class, "ValidationError", 400,
                        "ProviderId", aws -> buyer(aws).providerId("www.amazon.com")),
                rejected("malformed session tags claim", IdpRejectedClaimException.class, "IDPRejectedClaim", 400,
                        "principal tag 'team'", aws -> request(Demo.BUYER_ROLE_ARN, aws.identityProvider().newIdToken()
                                .claim("https://aws.amazon.com/tags", Map.of("principal_tags", Map.of("team", "pets"))).sign())));
    }

    private static Arguments rejected(String name, Class<? extends StsException> type, String code, int status, String message,
            Function<LocalAws, AssumeRoleWithWebIdentityRequest.Builder> request) {
        return Arguments.of(name, type, code, status, message, request);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("rejectedRequests")
    void assumeRoleWithWebIdentity_rejectedRequest_surfacesAwsErrorCodeInSdk(String name, Class<? extends StsException> type,
            String code, int status, String message, Function<LocalAws, AssumeRoleWithWebIdentityRequest.Builder> request,
            LocalAws aws) {
        aws.sts().addRole(LocalRole.trustingOidc("arn:aws:iam::123456789012:role/other-audience",
                aws.identityProvider().issuer(), "another-app"));
        aws.sts().addRole(LocalRole.builder().arn("arn:aws:iam::123456789012:role/unsupported").trustPolicy(
                "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:*\","
                        + "\"Condition\":{\"StringNotEquals\":{\"x:sub\":\"y\"}}}}").build());

        try (StsClient client = TestSupport.stsClient(aws.sts())) {
            AssumeRoleWithWebIdentityRequest built = request.apply(aws).build();
            StsException error = catchThrowableOfType(StsException.class, () -> client.assumeRoleWithWebIdentity(built));

            assertThat(error).as(name).isNotNull().isInstanceOf(type);
            assertThat(error.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(error.statusCode()).isEqualTo(status);
            assertThat(error.awsErrorDetails().errorMessage()).contains(message);
            assertThat(error.requestId()).isNotBlank();
        }
        assertThat(aws.sts().calls()).singleElement().satisfies(call -> {
            assertThat(call.outcome()).isEqualTo(code);
            assertThat(call.succeeded()).isFalse();
        });
        assertThat(aws.sts().sessions()).noneMatch(s -> s.roleSessionName().equals("x"));
    }

    @Test
    void assumeRoleWithWebIdentity_throttleFault_surfacesThrottling(LocalAws aws) {
        aws.sts().setFault(Fault.THROTTLE);

        try (StsClient client = TestSupport.stsClient(aws.sts())) {
            StsException error = catchThrowableOfType(StsException.class, () -> client.assumeRoleWithWebIdentity(buyer(aws).build()));

            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("Throttling");
            assertThat(error.statusCode()).isEqualTo(400);
            assertThat(error.isThrottlingException()).isTrue();
        }
        assertThat(aws.sts().calls()).singleElement().extracting(StsCall::outcome).isEqualTo("Throttling");
    }

    @Test
    void assumeRoleWithWebIdentity_unavailableFault_surfaces503(LocalAws aws) {
        aws.sts().setFault(Fault.UNAVAILABLE);

        try (StsClient client = TestSupport.stsClient(aws.sts())) {
            StsException error = catchThrowableOfType(StsException.class, () -> client.assumeRoleWithWebIdentity(buyer(aws).build()));

            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
            assertThat(error.statusCode()).isEqualTo(503);
        }
    }

    @Test
    @DisplayName("The SDK's standard retry gets through two throttled answers on the third attempt")
    void setFaultForTwoCalls_sdkStandardRetry_succeedsOnThirdAttempt(LocalAws aws) {
        aws.sts().setFault(Fault.THROTTLE, 2);
        StsClient client = StsClient.builder().endpointOverride(aws.sts().endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(b -> b
                        .backoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.retryImmediately())
                        .throttlingBackoffStrategy(software.amazon.awssdk.retries.api.BackoffStrategy.retryImmediately())))
                .build();
        try (client) {
            assertThat(client.assumeRoleWithWebIdentity(buyer(aws).build()).credentials()).isNotNull();
        }

        assertThat(aws.sts().calls()).extracting(StsCall::outcome).containsExactly("Throttling", "Throttling", "Success");
        assertThat(aws.sts().fault()).isEqualTo(Fault.NONE);
    }

    @Test
    void slowFault_longerThanClientTimeout_timesOut_shorter_succeeds(LocalAws aws) throws InterruptedException {
        StsClient client = StsClient.builder().endpointOverride(aws.sts().endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofMillis(300)))
                .build();
        try (client) {
            aws.sts().setFault(Fault.SLOW(Duration.ofSeconds(1)));
            assertThatThrownBy(() -> client.assumeRoleWithWebIdentity(buyer(aws).build()))
                    .isInstanceOf(software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException.class);

            aws.sts().setFault(Fault.SLOW(Duration.ofMillis(50)));
            assertThat(client.assumeRoleWithWebIdentity(buyer(aws).build()).credentials()).isNotNull();
        }
        // The abandoned call is still answered (and recorded) when its delay ends; wait for it so the next test
        // starts clean.
        Instant deadline = Instant.now().plusSeconds(5);
        while (aws.sts().callCount("AssumeRoleWithWebIdentity") < 2 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(aws.sts().calls()).extracting(StsCall::outcome).containsExactlyInAnyOrder("Success", "Success");
    }

    @Test
    void jwksUnavailable_idpCommunicationError(LocalAws aws) {
        String token = aws.identityProvider().newIdToken().sign();
        aws.identityProvider().setJwksAvailable(false);

        try (StsClient client = TestSupport.stsClient(aws.sts())) {
            IdpCommunicationErrorException error = catchThrowableOfType(IdpCommunicationErrorException.class,
                    () -> client.assumeRoleWithWebIdentity(request(Demo.BUYER_ROLE_ARN, token).build()));

            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("IDPCommunicationError");
            assertThat(error.statusCode()).isEqualTo(400);
        }
        assertThat(aws.identityProvider().jwksRequestCount()).as("LocalSts's fetches are not counted").isZero();
        assertThat(aws.identityProvider().discoveryRequestCount()).isZero();
    }

    @Test
    void identityProviderDown_idpCommunicationError() {
        LocalIdentityProvider idp = LocalIdentityProvider.builder().start();
        try (LocalSts sts = LocalSts.builder().oidcProvider(idp.issuer(), Demo.CLIENT_ID)
                .role(LocalRole.trustingOidc(Demo.BUYER_ROLE_ARN, idp.issuer(), Demo.CLIENT_ID)).start();
                StsClient client = TestSupport.stsClient(sts)) {
            String token = idp.newIdToken().sign();
            idp.close();

            assertThatThrownBy(() -> client.assumeRoleWithWebIdentity(request(Demo.BUYER_ROLE_ARN, token).build()))
                    .isInstanceOfSatisfying(IdpCommunicationErrorException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("IDPCommunicationError"));
        }
    }

    @Test
    void keyRotationWithoutOldKey_oldTokenRejected_newTokenAccepted(LocalAws aws) {
        String oldToken = aws.identityProvider().newIdToken().sign();
        aws.identityProvider().rotateKeys(false);

        try (StsClient client = TestSupport.stsClient(aws.sts())) {
            assertThatThrownBy(() -> client.assumeRoleWithWebIdentity(request(Demo.BUYER_ROLE_ARN, oldToken).build()))
                    .isInstanceOf(InvalidIdentityTokenException.class);
            assertThat(client.assumeRoleWithWebIdentity(request(Demo.BUYER_ROLE_ARN,
                    aws.identityProvider().newIdToken().sign()).build()).credentials()).isNotNull();
        }
    }

    @Test
    void concurrentCalls_allSucceedAndAreCounted(LocalAws aws) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (StsClient client = TestSupport.stsClient(aws.sts())) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> client.assumeRoleWithWebIdentity(buyer(aws).build()).credentials().accessKeyId()));
            }
            List<String> keys = new ArrayList<>();
            for (Future<String> result : results) {
                keys.add(result.get());
            }
            assertThat(keys).doesNotHaveDuplicates().hasSize(8);
        } finally {
            pool.shutdownNow();
        }
        assertThat(aws.sts().callCount("AssumeRoleWithWebIdentity")).isEqualTo(8);
    }

    @Test
    void close_refusesConnections() {
        LocalSts sts = LocalSts.builder().start();
        URI endpoint = sts.endpoint();

        sts.stop();

        assertThatThrownBy(() -> TestSupport.get(endpoint)).isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void builder_issuerOffLoopback_isRefused() {
        assertThatThrownBy(() -> LocalSts.builder().oidcProvider(URI.create("https://example.auth0.com/"), "x").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.0.0.1");
    }

    @Test
    void addRole_otherAccount_isRefused(LocalSts sts) {
        assertThatThrownBy(() -> sts.addRole(LocalRole.trustingOidc("arn:aws:iam::210987654321:role/x",
                URI.create("http://127.0.0.1:1/"), "a"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("210987654321");
    }
}

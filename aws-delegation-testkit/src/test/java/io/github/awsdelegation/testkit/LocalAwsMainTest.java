package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.InvalidIdentityTokenException;

class LocalAwsMainTest {

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    @Test
    void startDemo_givenPorts_runsBothThereUntilClosed() throws Exception {
        int idpPort = freePort();
        int stsPort = freePort();
        URI discovery;
        try (LocalAws aws = LocalAwsMain.startDemo(idpPort, stsPort)) {
            assertThat(aws.identityProvider().issuer()).isEqualTo(URI.create("http://127.0.0.1:" + idpPort + "/"));
            assertThat(aws.sts().endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + stsPort));
            discovery = aws.identityProvider().discoveryUri();
            assertThat(TestSupport.get(discovery).statusCode()).isEqualTo(200);
            assertThat(aws.identityProvider().clientIds()).containsExactly(Demo.CLIENT_ID);
            assertThat(aws.sts().role(Demo.ADMIN_ROLE_ARN)).isPresent();
        }
        assertThatThrownBy(() -> TestSupport.get(discovery)).isInstanceOf(ConnectException.class);
    }

    @Test
    void printBanner_namesIssuerEndpointUsersAndRoles() {
        try (LocalAws aws = LocalAwsMain.startDemo()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            LocalAwsMain.printBanner(aws, new PrintStream(out, true, StandardCharsets.UTF_8));

            assertThat(out.toString(StandardCharsets.UTF_8)).contains(aws.identityProvider().issuer().toString(),
                    aws.sts().endpoint().toString(), "admin@example.com / admin-password", "buyer@example.com",
                    Demo.BUYER_ROLE_ARN, Demo.ADMIN_ROLE_ARN, "pet-shop");
        }
    }

    @Test
    void startDemo_portTaken_failsNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> LocalAwsMain.startDemo(taken.getLocalPort(), 0))
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void start_portOptionsForEveryServer_runsEachOnItsPort() throws Exception {
        int idp = freePort();
        int sts = freePort();
        int s3 = freePort();
        int api = freePort();

        try (LocalAws aws = LocalAwsMain.start("--idp-port=" + idp, "--sts-port", String.valueOf(sts), "--s3-port=" + s3,
                "--api-port=" + api)) {
            assertThat(aws.identityProvider().issuer()).isEqualTo(URI.create("http://127.0.0.1:" + idp + "/"));
            assertThat(aws.sts().endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + sts));
            assertThat(aws.s3().endpoint().getPort()).isEqualTo(s3);
            assertThat(aws.petsApi().endpoint().getPort()).isEqualTo(api);
            assertThat(TestSupport.get(aws.petsApi().endpoint().resolve("prod/pets")).statusCode())
                    .as("the pets API answers there (403 unsigned)").isEqualTo(403);
        }
    }

    @Test
    void start_portZero_picksFreePorts() {
        try (LocalAws aws = LocalAwsMain.start("--s3-port=0", "--api-port=0")) {
            assertThat(List.of(aws.s3().endpoint().getPort(), aws.petsApi().endpoint().getPort())).allMatch(port -> port > 0);
        }
    }

    @Test
    void start_trustIssuer_demoRolesTrustTheOutsideProviderForItsClientAndItsUsersOwnFolders() throws Exception {
        // The "outside" issuer: a second local provider standing for Keycloak, with a client id of its own.
        try (LocalIdentityProvider outside = LocalIdentityProvider.builder()
                .client("outside-app", null, List.of(URI.create("http://127.0.0.1:1/callback"))).start();
             LocalAws aws = LocalAwsMain.start("--trust-issuer", outside.issuer() + "=outside-app");
             StsClient sts = TestSupport.stsClient(aws.sts())) {
            String subject = "f1d3c0de-0000-4000-8000-000000000001";
            Credentials credentials = sts.assumeRoleWithWebIdentity(webIdentity(Demo.BUYER_ROLE_ARN,
                    outside.newIdToken().subject(subject).audience("outside-app").sign())).credentials();

            assertThat(aws.trustedIssuers()).containsExactly(java.util.Map.entry(outside.issuer(), "outside-app"));
            assertThat(sts.assumeRoleWithWebIdentity(webIdentity(Demo.ADMIN_ROLE_ARN,
                    outside.newIdToken().subject(subject).audience("outside-app").sign())).assumedRoleUser().arn())
                    .contains("assumed-role/pet-shop-admin/");
            try (S3Client s3 = s3Client(aws, credentials)) {
                s3.putObject(b -> b.bucket(Demo.PETS_BUCKET).key(subject + "/notes.txt"), RequestBody.fromString("mine"));
                assertThat(aws.s3().keys(Demo.PETS_BUCKET)).contains(subject + "/notes.txt");
                assertThatThrownBy(() -> s3.putObject(b -> b.bucket(Demo.PETS_BUCKET).key("someone-else/notes.txt"),
                        RequestBody.fromString("theirs"))).isInstanceOf(S3Exception.class).hasMessageContaining("Access Denied");
            }
            assertThatThrownBy(() -> sts.assumeRoleWithWebIdentity(webIdentity(Demo.BUYER_ROLE_ARN,
                    outside.newIdToken().subject(subject).audience(Demo.CLIENT_ID).sign())))
                    .as("a token of the outside issuer for another client").isInstanceOf(InvalidIdentityTokenException.class)
                    .hasMessageContaining("Incorrect token audience");
            assertThat(sts.assumeRoleWithWebIdentity(webIdentity(Demo.BUYER_ROLE_ARN,
                    aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID))).credentials())
                    .as("the testkit's own provider is still trusted").isNotNull();
        }
    }

    @Test
    void start_withoutTrustIssuer_refusesAnOutsideProvidersToken() {
        try (LocalIdentityProvider outside = LocalIdentityProvider.builder().start();
             LocalAws aws = LocalAwsMain.start();
             StsClient sts = TestSupport.stsClient(aws.sts())) {
            assertThatThrownBy(() -> sts.assumeRoleWithWebIdentity(webIdentity(Demo.BUYER_ROLE_ARN,
                    outside.newIdToken().subject("x").audience(Demo.CLIENT_ID).sign())))
                    .isInstanceOf(InvalidIdentityTokenException.class).hasMessageContaining("No OpenIDConnect provider found");
        }
    }

    @Test
    void start_badArguments_failNamingTheOption() {
        assertThatThrownBy(() -> LocalAwsMain.start("--s3-port=x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--s3-port must be a port 0-65535, got 'x'");
        assertThatThrownBy(() -> LocalAwsMain.start("--api-port")).hasMessage("--api-port needs a value");
        assertThatThrownBy(() -> LocalAwsMain.start("--proxy=1")).hasMessage("unknown option --proxy");
        assertThatThrownBy(() -> LocalAwsMain.start("--trust-issuer=http://127.0.0.1:8180/realms/petshop"))
                .hasMessageContaining("--trust-issuer takes ISSUER_URL=CLIENT_ID");
        assertThatThrownBy(() -> LocalAwsMain.start("--trust-issuer=https://idp.example.com/=pet-shop"))
                .hasMessageContaining("on 127.0.0.1 or localhost, got https://idp.example.com/");
    }

    @Test
    void printBanner_namesTheTrustedIssuersAndTheirProviderArns() {
        try (LocalAws aws = LocalAwsMain.start("--trust-issuer=http://127.0.0.1:1/realms/petshop=pet-shop")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            LocalAwsMain.printBanner(aws, new PrintStream(out, true, StandardCharsets.UTF_8));

            assertThat(out.toString(StandardCharsets.UTF_8)).contains("http://127.0.0.1:1/realms/petshop   (client id pet-shop,"
                    + " IAM OIDC provider arn:aws:iam::123456789012:oidc-provider/127.0.0.1:1/realms/petshop)");
        }
    }

    private static S3Client s3Client(LocalAws aws, Credentials c) {
        return S3Client.builder().endpointOverride(aws.s3().endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(),
                        c.secretAccessKey(), c.sessionToken())))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    private static AssumeRoleWithWebIdentityRequest webIdentity(String roleArn, String token) {
        return AssumeRoleWithWebIdentityRequest.builder().roleArn(roleArn).roleSessionName("outside-user").webIdentityToken(token)
                .build();
    }
}

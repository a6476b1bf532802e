package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.awsdelegation.scope.internal.RoleSessionNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The CLI against an app that runs the filter: the test is the browser (a cookie jar signing in at the testkit's IdP),
 * opening the URL {@code --no-browser} prints and submitting the page the app answers to the CLI's loopback callback.
 */
class CliIT {

    final ShopApp app = ShopApp.get();

    @TempDir
    Path home;

    Browser browser = new Browser();

    @BeforeEach
    void userFiles() throws Exception {
        Path dir = Files.createDirectories(home.resolve(".aws-delegation"));
        Files.writeString(dir.resolve("config"), "url = " + app.url + "\nsts-endpoint = " + app.aws.sts().endpoint() + "\ntimeout = 30\n");
        Files.writeString(dir.resolve("aliases"), "pet-shop = 123456789012\n");
    }

    CliRunner.Result cli(String... args) throws Exception {
        return new CliRunner(home, browser).run(args);
    }

    @Test
    @DisplayName("login --show: the browser signs in, the app posts to the loopback callback, the CLI lists the SAML roles as profiles")
    void loginShow_listsThePermittedSamlRoles() throws Exception {
        CliRunner.Result result = cli("login", "--show");

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("[profile pet-shop-saml-buyer@pet-shop]", "[profile pet-shop-reports@pet-shop]",
                "# role " + ShopApp.BUYER_ROLE + " in account 123456789012",
                "credential_process = ", " credential-process --url " + app.url + " -p pet-shop-saml-buyer@pet-shop")
                .doesNotContain("pet-shop-admin"); // a web-identity role, not one for SAML
    }

    @Test
    @DisplayName("login -p: STS credentials written to ~/.aws/credentials (0600), other profiles untouched, and they are the role's")
    void loginProfile_writesTheCredentialsFile() throws Exception {
        Path credentials = Files.createDirectories(home.resolve(".aws")).resolve("credentials");
        Files.writeString(credentials, "[default]\naws_access_key_id = MINE\n");

        CliRunner.Result result = cli("login", "-p", "pet-shop-saml-buyer@pet-shop", "--credentials-file", credentials.toString());

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.err()).contains("Wrote profile pet-shop-saml-buyer@pet-shop");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        IniFile file = IniFile.parse(Files.readString(credentials));
        assertThat(file.section("default")).containsEntry("aws_access_key_id", "MINE").hasSize(1);
        var profile = file.section("pet-shop-saml-buyer@pet-shop");
        assertThat(profile).containsKeys("aws_access_key_id", "aws_secret_access_key", "aws_session_token")
                .containsEntry("region", "us-east-1");
        try (StsClient sts = StsClient.builder().endpointOverride(app.aws.sts().endpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(profile.get("aws_access_key_id"), profile.get("aws_secret_access_key"),
                                profile.get("aws_session_token")))).build()) {
            assertThat(sts.getCallerIdentity().arn())
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/pet-shop-saml-buyer/" + RoleSessionNames.of("amazon|amzn1.account.DEMO"));
        }
    }

    @Test
    @DisplayName("credential-process: the AWS CLI's JSON, cached (0600) so the second call opens no browser")
    void credentialProcess_printsJson_thenServesFromCache() throws Exception {
        CliRunner.Result first = cli("credential-process", "-p", "pet-shop-reports@pet-shop");

        assertThat(first.status()).as(first.err()).isZero();
        assertThat(first.out().trim()).matches("\\{\"Version\":1,\"AccessKeyId\":\"[^\"]+\",\"SecretAccessKey\":\"[^\"]+\","
                + "\"SessionToken\":\"[^\"]+\",\"Expiration\":\"[^\"]+Z\"}");
        Instant expiration = Instant.parse(first.out().replaceAll("(?s).*\"Expiration\":\"([^\"]+)\".*", "$1"));
        assertThat(expiration).isAfter(Instant.now().plus(Duration.ofMinutes(30)));
        try (var files = Files.list(home.resolve(".aws-delegation/cache"))) {
            Path cached = files.findFirst().orElseThrow();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cached))).isEqualTo("rw-------");
        }

        CliRunner.Result second = cli("credential-process", "-p", "pet-shop-reports@pet-shop");

        assertThat(second.status()).isZero();
        assertThat(second.err()).doesNotContain("Open this URL");
        assertThat(second.out()).isEqualTo(first.out());
    }

    @Test
    @DisplayName("a profile the app does not offer: the CLI says which it offers")
    void unknownProfile_listsTheOffered() throws Exception {
        CliRunner.Result result = cli("login", "-p", "pet-shop-admin@pet-shop");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("aws-delegation: the app does not offer pet-shop-admin@pet-shop to you; it offers "
                + "pet-shop-saml-buyer@pet-shop, pet-shop-reports@pet-shop");
    }

    @Test
    @DisplayName("the app's CLI endpoint posts only to loopback IP callbacks (never localhost) and needs the client's state")
    void app_refusesOtherCallbacks() {
        browser.open(URI.create(app.url + "/"));
        String state = "&state=abcdefghijklmnop0123";

        HttpResponse<String> evil = browser.open(URI.create(app.url + "/saml/cli?callback=https%3A%2F%2Fevil.example%2Fsaml" + state));
        HttpResponse<String> lookalike = browser.open(URI.create(app.url
                + "/saml/cli?callback=http%3A%2F%2Flocalhost.evil.example%3A12200%2Fsaml" + state));
        HttpResponse<String> localhost = browser.open(URI.create(app.url + "/saml/cli?callback=http%3A%2F%2Flocalhost%3A12200%2Fsaml" + state));
        HttpResponse<String> noState = browser.open(URI.create(app.url + "/saml/cli?callback=http%3A%2F%2F127.0.0.1%3A12200%2Fsaml"));

        assertThat(evil.statusCode()).isEqualTo(400);
        assertThat(evil.body()).contains("callback must be http://127.0.0.1:&lt;port&gt;/... or http://[::1]:&lt;port&gt;/...");
        assertThat(lookalike.statusCode()).isEqualTo(400);
        assertThat(localhost.statusCode()).as("localhost may resolve to ::1, where another user may listen").isEqualTo(400);
        assertThat(localhost.body()).contains("not localhost", "RFC 8252", "update aws-delegation-cli");
        assertThat(noState.statusCode()).isEqualTo(400);
        assertThat(noState.body()).contains("state must be 16 to 128 characters");
    }

    @Test
    @DisplayName("nothing is signed before the user confirms: the GET only asks; a POST without this session's CSRF token is refused")
    void app_asksBeforeSigning_andRefusesForgedConfirmations() {
        String query = "callback=http%3A%2F%2F127.0.0.1%3A40123%2Fsaml&state=abcdefghijklmnop0123";

        HttpResponse<String> confirmation = browser.open(URI.create(app.url + "/saml/cli?" + query));
        Browser other = new Browser();
        other.open(URI.create(app.url + "/")); // signed in too, with a session (and CSRF token) of its own
        HttpResponse<String> noToken = browser.postForm(URI.create(app.url + "/saml/cli"), query);
        HttpResponse<String> otherSessionsToken = other.postForm(URI.create(app.url + "/saml/cli"), query + "&csrf_token="
                + Browser.enc(Browser.unescape(confirmation.body().replaceAll("(?s).*name=\"csrf_token\" value=\"([^\"]+)\".*", "$1"))));
        HttpResponse<String> crossSite = browser.send(java.net.http.HttpRequest.newBuilder(URI.create(app.url + "/saml/cli"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "https://evil.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(query + "&csrf_token=" + Browser.enc(Browser.unescape(
                        confirmation.body().replaceAll("(?s).*name=\"csrf_token\" value=\"([^\"]+)\".*", "$1"))))).build());

        assertThat(confirmation.statusCode()).isEqualTo(200);
        assertThat(confirmation.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(confirmation.body()).contains("listening on <strong>port 40123</strong> (http://127.0.0.1:40123)",
                "pet-shop-saml-buyer in account pet-shop (123456789012)", "pet-shop-reports in account pet-shop (123456789012)",
                "Sign in the command-line client on port 40123").doesNotContain("SAMLResponse");
        for (HttpResponse<String> forged : List.of(noToken, otherSessionsToken, crossSite)) {
            assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
            assertThat(forged.body()).contains("command-line sign-in refused").doesNotContain("SAMLResponse");
        }
    }

    @Test
    @DisplayName("console: the role's STS session goes to the federation endpoint; the printed URL signs the browser in")
    void console_printsTheFederationSignInUrl() throws Exception {
        List<String> queries = new CopyOnWriteArrayList<>();
        HttpServer federation = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        federation.createContext("/federation", exchange -> {
            queries.add(exchange.getRequestURI().getRawQuery());
            byte[] body = "{\"SigninToken\":\"signin-token-1\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        federation.start();
        try {
            String endpoint = "http://127.0.0.1:" + federation.getAddress().getPort() + "/federation";

            CliRunner.Result result = cli("console", "-p", "pet-shop-saml-buyer@pet-shop", "--federation-endpoint", endpoint,
                    "--destination", "https://console.aws.amazon.com/s3/");

            assertThat(result.status()).as(result.err()).isZero();
            assertThat(result.out().trim()).isEqualTo(endpoint + "?Action=login&Issuer=" + Browser.enc(app.url.toString())
                    + "&Destination=" + Browser.enc("https://console.aws.amazon.com/s3/") + "&SigninToken=signin-token-1");
            assertThat(queries).singleElement().satisfies(q -> assertThat(q).startsWith("Action=getSigninToken&Session="));
            String session = URLDecoder.decode(queries.get(0).substring(queries.get(0).indexOf("Session=") + 8), StandardCharsets.UTF_8);
            String accessKeyId = session.replaceAll(".*\"sessionId\":\"([^\"]+)\".*", "$1");
            assertThat(app.aws.sts().session(accessKeyId)).as("a session the STS issued").isPresent();
        } finally {
            federation.stop(0);
        }
    }
}

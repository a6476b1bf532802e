package io.github.awsdelegation.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.audit.CapturedAuditLog;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.sts.saml.SamlTestKeys;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.StsCall;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail from every entry point the filter serves, on a real Tomcat with the filter's own service: each
 * request's records carry its entry point and the request id the response answers in {@code X-Request-Id} (the CDI
 * entry point is shown by the CDI module's {@code EventsIT}, the app's own calls by {@code DelegationServiceEventsTest}).
 */
class AuditTrailEntryPointsTest {

    static final String SESSION_ATTRIBUTE = "test.id_token";
    static final String PROVIDER = "arn:aws:iam::123456789012:saml-provider/pet-shop";
    static final String SAML_BUYER_ROLE = "arn:aws:iam::123456789012:role/pet-shop-saml-buyer";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String BUYER = "amazon|" + Demo.BUYER_AMAZON_ID;

    static LocalAws aws;
    static DelegationService service;
    static Tomcat tomcat;
    static URI base;
    CapturedAuditLog audit;

    @BeforeAll
    static void start(@TempDir Path dir) throws LifecycleException, IOException {
        aws = LocalAws.builder().start();
        KeyPair pair = SamlTestKeys.rsa2048();
        Path keyStore = SamlTestKeys.writePkcs12(dir.resolve("saml.p12"), "saml", pair,
                SamlTestKeys.certificate(pair, "pet-shop SAML IdP"));
        service = DelegationService.create(DelegationConfigLoader.withVariables(Map.of(
                "ISSUER", aws.identityProvider().issuer().toString(), "STS", aws.sts().endpoint().toString(),
                "KEYSTORE", keyStore.toString(), "PASSWORD", SamlTestKeys.PASSWORD)).parse("""
                oidc:
                  issuer: ${ISSUER}
                  clientId: %s
                sts:
                  region: us-east-1
                  endpoint: ${STS}
                  maxAttempts: 1
                request:
                  sessionAttribute: %s
                  publicPaths: [/public/*]
                saml:
                  entityId: https://shop.example.com/saml
                  keyStore:
                    path: ${KEYSTORE}
                    password: ${PASSWORD}
                  endpoints:
                    cli: on
                  delegation:
                    enabled: true
                    rateLimit: 0
                rules:
                  - id: social-buyers
                    connectionType: social
                    roles:
                      - arn: %s
                      - arn: %s
                        principal: %s
                """.formatted(Demo.CLIENT_ID, SESSION_ATTRIBUTE, Demo.BUYER_ROLE_ARN, SAML_BUYER_ROLE, PROVIDER)));
        tomcat = FilteredTomcat.create(dir);
        FilteredTomcat.deploy(tomcat, "", service, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            // The app's own sign-in and sign-out, as an app without the built-in login has: the ID token in the session.
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                if (request.getRequestURI().equals("/public/sign-in")) {
                    request.getSession(true).setAttribute(SESSION_ATTRIBUTE, request.getParameter("token"));
                } else if (request.getRequestURI().equals("/public/sign-out")) {
                    HttpSession session = request.getSession(false);
                    if (session != null) {
                        session.invalidate();
                    }
                }
                response.getWriter().write("ok");
            }
        });
        tomcat.start();
        base = FilteredTomcat.base(tomcat);
    }

    @AfterAll
    static void stop() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
        service.close();
        aws.close();
    }

    @BeforeEach
    void capture() {
        audit = CapturedAuditLog.start();
    }

    @AfterEach
    void release() {
        audit.close();
    }

    static String buyerToken() {
        return buyerToken("idp-session-7");
    }

    // The trail writes a decision that repeats the last one for a user, session and entry point once per 15 minutes:
    // a test that needs its own DECIDED record signs in a session of its own.
    static String buyerToken(String sessionId) {
        return aws.identityProvider().newIdTokenForSocialUser(Demo.BUYER_AMAZON_ID).claim("sid", sessionId).sign();
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> get(String path, String... headers) {
        return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(base.resolve(path)).headers(headers));
    }

    static HttpClient browser(String token) {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        send(client, HttpRequest.newBuilder(base.resolve("/public/sign-in?token=" + URLEncoder.encode(token,
                StandardCharsets.UTF_8))));
        return client;
    }

    static String requestId(HttpResponse<?> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }

    /** The records of one request, by its id. */
    List<Map<String, Object>> recordsOf(HttpResponse<?> response) {
        String id = requestId(response);
        return audit.records().stream().filter(r -> id.equals(r.get("requestId"))).toList();
    }

    @Test
    @DisplayName("filter: the decision and the issue, under the client's request id, with what CloudTrail records of the call")
    void filter_issued() {
        HttpResponse<String> response = get("/api/pets", "Authorization", "Bearer " + buyerToken(),
                "X-Request-Id", "trace-4711");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(requestId(response)).isEqualTo("trace-4711");
        List<Map<String, Object>> records = recordsOf(response);
        assertThat(records).extracting(r -> r.get("type")).containsExactly("DECIDED", "ISSUED");
        assertThat(records).allSatisfy(r -> assertThat(r).containsEntry("entryPoint", "FILTER")
                .containsEntry("subject", BUYER).containsEntry("sessionId", "idp-session-7")
                .containsEntry("ruleId", "social-buyers").containsEntry("roleArn", Demo.BUYER_ROLE_ARN));
        StsCall call = aws.sts().calls().get(aws.sts().calls().size() - 1);
        assertThat(records.get(1)).containsEntry("stsRequestId", call.requestId())
                .containsEntry("roleSessionName", call.roleSessionName())
                .containsEntry("region", "us-east-1")
                .containsKeys("assumedRoleId", "assumedRoleArn", "expiration", "time");
    }

    @Test
    @DisplayName("filter: a request id that is not safe to log is replaced by a generated one")
    void filter_unsafeRequestId() {
        HttpResponse<String> response = get("/api/pets", "Authorization", "Bearer " + buyerToken("idp-session-unsafe-id"),
                "X-Request-Id", "<script>alert(1)</script>");

        assertThat(requestId(response)).matches("[0-9a-f-]{36}");
        assertThat(recordsOf(response)).isNotEmpty();
        assertThat(audit.lines()).noneMatch(line -> line.contains("<script>"));
    }

    @Test
    @DisplayName("filter: a refused role request is a WARN record with the role asked for")
    void filter_denied() {
        HttpResponse<String> response = get("/api/pets", "Authorization", "Bearer " + buyerToken(),
                "X-AWS-Role", "pet-shop-admin");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(recordsOf(response)).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("type", "DENIED").containsEntry("outcome", "denied").containsEntry("entryPoint", "FILTER")
                .containsEntry("requestedRole", "pet-shop-admin"));
        assertThat(audit.lines()).anyMatch(line -> line.contains(" WARN ") && line.contains(requestId(response)));
    }

    @Test
    @DisplayName("role listing: the decision, from the role listing")
    void roleListing() {
        HttpResponse<String> response = get("/saml/roles", "Authorization", "Bearer " + buyerToken());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(recordsOf(response)).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("type", "DECIDED").containsEntry("entryPoint", "ROLE_LISTING"));
    }

    @Test
    @DisplayName("/delegation: the decision, then what STS answered for the SAML role, with STS's request id and error")
    void delegationEndpoint() {
        HttpResponse<String> response = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(base.resolve("/delegation"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("client_id=" + Demo.CLIENT_ID + "&grant_type="
                        + URLEncoder.encode(JWT_BEARER, StandardCharsets.UTF_8) + "&api_type=aws"
                        + "&role=" + URLEncoder.encode(SAML_BUYER_ROLE, StandardCharsets.UTF_8)
                        + "&id_token=" + buyerToken())));

        // LocalSts knows no SAML provider here: STS refuses the assertion, and the record says which call it was.
        List<Map<String, Object>> records = recordsOf(response);
        assertThat(records).extracting(r -> r.get("type")).hasSize(2).startsWith("DECIDED");
        assertThat(records).allSatisfy(r -> assertThat(r).containsEntry("entryPoint", "DELEGATION_ENDPOINT")
                .containsEntry("roleArn", SAML_BUYER_ROLE));
        StsCall call = aws.sts().calls().get(aws.sts().calls().size() - 1);
        assertThat(records.get(1)).containsEntry("stsRequestId", call.requestId()).containsEntry("errorCode", call.outcome());
    }

    @Test
    @DisplayName("console sign-in: the decision, from the console sign-in")
    void consoleSignIn() {
        HttpResponse<String> response = send(browser(buyerToken()), HttpRequest.newBuilder(base.resolve("/saml/console")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(recordsOf(response)).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("type", "DECIDED").containsEntry("entryPoint", "CONSOLE_SIGN_IN"));
    }

    @Test
    @DisplayName("command-line sign-in: the decision, from the command-line sign-in")
    void cliSignIn() {
        HttpResponse<String> response = send(browser(buyerToken()), HttpRequest.newBuilder(base.resolve(
                "/saml/cli?callback=" + URLEncoder.encode("http://127.0.0.1:53682/saml", StandardCharsets.UTF_8)
                        + "&state=abcdefghijklmnopqrstuvwxyz")));

        assertThat(recordsOf(response)).extracting(r -> r.get("entryPoint")).contains("CLI_SIGN_IN");
        assertThat(recordsOf(response)).filteredOn(r -> "DECIDED".equals(r.get("type"))).hasSize(1);
    }

    @Test
    @DisplayName("end of the HTTP session: the eviction of the user's credentials, with the OIDC session")
    void sessionEnd() {
        HttpClient browser = browser(buyerToken());
        assertThat(send(browser, HttpRequest.newBuilder(base.resolve("/api/pets"))).statusCode()).isEqualTo(200);

        HttpResponse<String> signOut = send(browser, HttpRequest.newBuilder(base.resolve("/public/sign-out")));

        assertThat(recordsOf(signOut)).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("type", "EVICTED").containsEntry("evictionCause", "SESSION_END")
                .containsEntry("entryPoint", "LOGOUT").containsEntry("subject", BUYER)
                .containsEntry("sessionId", "idp-session-7"));
    }
}

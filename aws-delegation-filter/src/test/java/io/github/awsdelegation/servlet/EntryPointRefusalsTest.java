package io.github.awsdelegation.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.DelegationListener;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.sts.saml.SamlTestKeys;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every entry point runs the same stages, so every refusal reaches the {@link DelegationListener}s, naming the entry
 * point: the filter, the role listing, {@code /delegation}, console and command-line sign-in, on a real Tomcat with the
 * filter's own service (the CDI module's {@code @RequiresAwsRole} is shown by its {@code EventsIT}).
 */
class EntryPointRefusalsTest {

    static final String SESSION_ATTRIBUTE = "test.id_token";
    static final String PROVIDER = "arn:aws:iam::123456789012:saml-provider/pet-shop";
    static final String SAML_BUYER_ROLE = "arn:aws:iam::123456789012:role/pet-shop-saml-buyer";
    static final String STRANGER = "custom|stranger";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    static LocalAws aws;
    static DelegationService service;
    static Tomcat tomcat;
    static URI base;
    static final List<DelegationEvent> denied = new CopyOnWriteArrayList<>();

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
                        principal: %s
                  - id: database-admins
                    connectionType: database
                    roles:
                      - arn: %s
                """.formatted(Demo.CLIENT_ID, SESSION_ATTRIBUTE, SAML_BUYER_ROLE, PROVIDER, Demo.ADMIN_ROLE_ARN)));
        service.addListener(new DelegationListener() {
            @Override
            public void denied(DelegationEvent event) {
                denied.add(event);
            }
        });
        tomcat = FilteredTomcat.create(dir);
        FilteredTomcat.deploy(tomcat, "", service, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            // The app's own sign-in, as an app without the built-in login has: the ID token in the HTTP session.
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                if (request.getRequestURI().equals("/public/sign-in")) {
                    request.getSession(true).setAttribute(SESSION_ATTRIBUTE, request.getParameter("token"));
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
    void clear() {
        denied.clear();
    }

    static String stranger() {
        return aws.identityProvider().newIdToken().subject(STRANGER).sign();
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
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(HttpClient.newHttpClient(), request);
    }

    /** A browser signed in to the app with the given ID token (the token in its HTTP session). */
    static HttpClient browser(String token) {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        send(client, HttpRequest.newBuilder(base.resolve("/public/sign-in?token=" + URLEncoder.encode(token,
                StandardCharsets.UTF_8))));
        return client;
    }

    static DelegationEvent onlyDenial() {
        assertThat(denied).hasSize(1);
        DelegationEvent event = denied.get(0);
        assertThat(event.type()).isEqualTo(DelegationEvent.Type.DENIED);
        return event;
    }

    @Test
    @DisplayName("filter: a requested role the rule does not permit is reported, from the filter")
    void filter() {
        String buyer = aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID);

        assertThat(get("/api/pets", "Authorization", "Bearer " + buyer, "X-AWS-Role", "pet-shop-admin").statusCode())
                .isEqualTo(403);

        DelegationEvent event = onlyDenial();
        assertThat(event.entryPoint()).isEqualTo(EntryPoint.FILTER);
        assertThat(event.ruleId()).isEqualTo("social-buyers");
        assertThat(event.requestedRole()).isEqualTo("pet-shop-admin");
    }

    @Test
    @DisplayName("role listing: a user no rule matches is reported, from the role listing")
    void roleListing() {
        HttpResponse<String> response = get("/saml/roles", "Authorization", "Bearer " + stranger());

        assertThat(response.statusCode()).isEqualTo(403);
        DelegationEvent event = onlyDenial();
        assertThat(event.entryPoint()).isEqualTo(EntryPoint.ROLE_LISTING);
        assertThat(event.subject()).isEqualTo(STRANGER);
        assertThat(event.ruleId()).isNull();
        assertThat(event.reason()).startsWith("no role rule matches this user");
    }

    @Test
    @DisplayName("/delegation: a user no rule matches is reported once (validated and decided once), from /delegation")
    void delegationEndpoint() {
        HttpResponse<String> response = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(base.resolve("/delegation"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("client_id=" + Demo.CLIENT_ID + "&grant_type="
                        + URLEncoder.encode(JWT_BEARER, StandardCharsets.UTF_8) + "&api_type=aws"
                        + "&id_token=" + stranger())));

        assertThat(response.statusCode()).isEqualTo(403);
        DelegationEvent event = onlyDenial();
        assertThat(event.entryPoint()).isEqualTo(EntryPoint.DELEGATION_ENDPOINT);
        assertThat(event.subject()).isEqualTo(STRANGER);
    }

    @Test
    @DisplayName("/delegation: a principal other than the granted role's is reported with the role, from /delegation")
    void delegationEndpoint_wrongPrincipal() {
        String buyer = aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID);
        HttpResponse<String> response = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(base.resolve("/delegation"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("client_id=" + Demo.CLIENT_ID + "&grant_type="
                        + URLEncoder.encode(JWT_BEARER, StandardCharsets.UTF_8) + "&api_type=aws"
                        + "&principal=" + URLEncoder.encode("arn:aws:iam::123456789012:saml-provider/other",
                                StandardCharsets.UTF_8) + "&id_token=" + buyer)));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("is not the provider role " + SAML_BUYER_ROLE + " trusts");
        DelegationEvent event = onlyDenial();
        assertThat(event.entryPoint()).isEqualTo(EntryPoint.DELEGATION_ENDPOINT);
        assertThat(event.ruleId()).isEqualTo("social-buyers");
        assertThat(event.roleArn()).isEqualTo(SAML_BUYER_ROLE);
    }

    @Test
    @DisplayName("console sign-in: a user no rule matches, and one whose roles cannot be used for the console, are reported")
    void consoleSignIn() {
        HttpResponse<String> stranger = send(browser(stranger()), HttpRequest.newBuilder(base.resolve("/saml/console")));

        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(onlyDenial().entryPoint()).isEqualTo(EntryPoint.CONSOLE_SIGN_IN);
        denied.clear();

        String admin = aws.identityProvider().newIdToken().subject("auth0|console-admin").sign();
        HttpResponse<String> noConsoleRole = send(browser(admin), HttpRequest.newBuilder(base.resolve("/saml/console")));

        assertThat(noConsoleRole.statusCode()).isEqualTo(403);
        DelegationEvent event = onlyDenial();
        assertThat(event.entryPoint()).isEqualTo(EntryPoint.CONSOLE_SIGN_IN);
        assertThat(event.ruleId()).isEqualTo("database-admins");
        assertThat(event.reason()).startsWith("none of the roles rule 'database-admins' permits can be used for the AWS console");
    }

    @Test
    @DisplayName("command-line sign-in: a user no rule matches is reported, from the command-line sign-in")
    void cliSignIn() {
        HttpResponse<String> response = send(browser(stranger()), HttpRequest.newBuilder(base.resolve(
                "/saml/cli?callback=" + URLEncoder.encode("http://127.0.0.1:53682/saml", StandardCharsets.UTF_8)
                        + "&state=abcdefghijklmnopqrstuvwxyz")));

        assertThat(response.statusCode()).isEqualTo(403);
        DelegationEvent event = onlyDenial();
        assertThat(event.entryPoint()).isEqualTo(EntryPoint.CLI_SIGN_IN);
        assertThat(event.subject()).isEqualTo(STRANGER);
    }
}

package io.github.awsdelegation.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.Fault;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The filter end to end: a WAR with the filter in its web.xml, deployed on embedded Tomcat, turning ID tokens
 * from the testkit's local OIDC provider into credentials from the local STS over HTTP.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AwsDelegationFilterIT {

    static final String WEB_IDENTITY = "AssumeRoleWithWebIdentity";

    @Deployment(testable = false)
    static WebArchive shop() {
        ItEnvironment env = ItEnvironment.get();
        return ItEnvironment.war("shop", ItConfig.of(env.aws)
                .sts("callTimeout", "2s").sts("attemptTimeout", "1s").sts("maxAttempts", "2").sts("retryAfter", "7s")
                .section("login", "{}")
                .rule("social-buyers", "social", ItConfig.role(Demo.BUYER_ROLE_ARN))
                .rule("database-admins", "database", ItConfig.role(Demo.ADMIN_ROLE_ARN), ItConfig.role(Demo.BUYER_ROLE_ARN)));
    }

    @ArquillianResource
    URL base;

    final LocalIdentityProvider idp = ItEnvironment.get().aws.identityProvider();
    final LocalSts sts = ItEnvironment.get().aws.sts();

    URI whoami() {
        return URI.create(base + "whoami");
    }

    @BeforeEach
    void healthy() {
        sts.setFault(Fault.NONE);
        sts.resetCalls();
    }

    /** A user nobody has seen yet, so that the credential cache starts cold for them. */
    String freshSocialToken() {
        return idp.newIdToken().subject("amazon|" + UUID.randomUUID()).sign();
    }


    @Test
    @DisplayName("a social user gets the buyer role and credentials from STS")
    void socialUser_buyer() {
        HttpResponse<String> response = Http.bearer(whoami(), idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID));

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, String> app = Http.fields(response.body());
        assertThat(app).containsEntry("connection", "social").containsEntry("role", "pet-shop-buyer")
                .containsEntry("rule", "social-buyers").containsEntry("requested", "false");
        assertThat(app.get("assumedRoleArn")).startsWith("arn:aws:sts::123456789012:assumed-role/pet-shop-buyer/amazon-");
        assertThat(sts.session(app.get("accessKeyId"))).as("credentials the local STS really issued")
                .hasValueSatisfying(s -> assertThat(s.roleArn()).isEqualTo(Demo.BUYER_ROLE_ARN));
    }

    @Test
    @DisplayName("a database user gets the admin role")
    void databaseUser_admin() {
        HttpResponse<String> response = Http.bearer(whoami(), idp.idTokenForDatabaseUser(Demo.ADMIN_USERNAME));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Http.fields(response.body())).containsEntry("connection", "database")
                .containsEntry("role", "pet-shop-admin").containsEntry("rule", "database-admins");
    }

    @Test
    @DisplayName("a permitted role request is granted, by header and by query parameter")
    void permittedRequest_granted() {
        String admin = idp.idTokenForDatabaseUser(Demo.ADMIN_USERNAME);

        HttpResponse<String> byHeader = Http.get(whoami(), Map.of("Authorization", "Bearer " + admin,
                "X-AWS-Role", "pet-shop-buyer"));
        HttpResponse<String> byQuery = Http.bearer(URI.create(whoami() + "?aws_role=" + Http.enc(Demo.BUYER_ROLE_ARN)), admin);

        assertThat(byHeader.statusCode()).isEqualTo(200);
        assertThat(Http.fields(byHeader.body())).containsEntry("role", "pet-shop-buyer").containsEntry("requested", "true");
        assertThat(byQuery.statusCode()).isEqualTo(200);
        assertThat(Http.fields(byQuery.body())).containsEntry("role", "pet-shop-buyer");
    }

    @Test
    @DisplayName("an escalation gets 403 with the reason, and STS is never asked")
    void escalation_forbidden() {
        String buyer = idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID);

        HttpResponse<String> byHeader = Http.get(whoami(), Map.of("Authorization", "Bearer " + buyer,
                "X-AWS-Role", "pet-shop-admin"));
        HttpResponse<String> byQuery = Http.bearer(URI.create(whoami() + "?aws_role=" + Http.enc(Demo.ADMIN_ROLE_ARN)), buyer);

        for (HttpResponse<String> response : List.of(byHeader, byQuery)) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(response.body()).contains("is not permitted for this user").contains("social-buyers")
                    .doesNotContain("Exception").doesNotContain("at io.");
        }
        assertThat(sts.callCount(WEB_IDENTITY)).isZero();
    }


    @Test
    @DisplayName("forged, expired, wrong-audience, alg none and garbage tokens get 401 with a reason and no stack trace")
    void rejected_401() {
        Map<String, String> tokens = Map.of(
                "forged", idp.newIdToken().subject("amazon|forger").signWithForeignKey(),
                "expired", idp.newIdToken().subject("amazon|late").issuedAt(Instant.now().minus(Duration.ofHours(3)))
                        .expiresAt(Instant.now().minus(Duration.ofHours(1))).sign(),
                "wrong audience", idp.newIdToken().subject("amazon|other-app").audience("another-app").sign(),
                "alg none", idp.newIdToken().subject("amazon|none").signWithAlgorithm("none"),
                "HS256 with the public key", idp.newIdToken().subject("amazon|confused").signWithAlgorithm("HS256"),
                "garbage", "not-a-jwt");

        tokens.forEach((kind, token) -> {
            HttpResponse<String> response = Http.bearer(whoami(), token);
            assertThat(response.statusCode()).as(kind).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(kind)
                    .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer error=\"invalid_token\""));
            assertThat(response.body()).as(kind).contains("ID token rejected").doesNotContain("Exception")
                    .doesNotContain("\tat ").doesNotContain(token.length() > 20 ? token : "\u0000");
        });
        assertThat(sts.callCount(WEB_IDENTITY)).isZero();
    }

    @Test
    @DisplayName("no token: an API client gets 401, a browser is sent to sign in")
    void missing() {
        HttpResponse<String> api = Http.get(whoami(), Map.of());
        HttpResponse<String> browser = Http.get(whoami(), Map.of("Accept", "text/html", "Sec-Fetch-Mode", "navigate"));

        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.body()).contains("no ID token");
        assertThat(browser.statusCode()).isEqualTo(302);
        assertThat(browser.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .startsWith(idp.authorizationEndpoint().toString()).contains("code_challenge_method=S256").contains("nonce="));
    }


    @Test
    @DisplayName("a user's second request is served from the cache")
    void cached() {
        String token = freshSocialToken();

        String first = Http.fields(Http.bearer(whoami(), token).body()).get("accessKeyId");
        String second = Http.fields(Http.bearer(whoami(), token).body()).get("accessKeyId");

        assertThat(second).isEqualTo(first);
        assertThat(sts.callCount(WEB_IDENTITY)).isEqualTo(1);
    }

    @Test
    @DisplayName("64 concurrent requests of one user cause exactly one STS call")
    void singleFlight() throws Exception {
        String token = freshSocialToken();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                responses.add(pool.submit(() -> {
                    start.await();
                    return Http.bearer(whoami(), token);
                }));
            }
            start.countDown();
            List<String> keys = new ArrayList<>();
            for (Future<HttpResponse<String>> f : responses) {
                HttpResponse<String> response = f.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                keys.add(Http.fields(response.body()).get("accessKeyId"));
            }
            assertThat(keys).hasSize(64).containsOnly(keys.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(sts.callCount(WEB_IDENTITY)).isEqualTo(1);
    }

    @Test
    @DisplayName("STS down: a new user gets 503 with Retry-After, a user with cached credentials carries on")
    void stsDown_503() {
        String known = freshSocialToken();
        assertThat(Http.bearer(whoami(), known).statusCode()).isEqualTo(200);

        sts.setFault(Fault.UNAVAILABLE);
        HttpResponse<String> cold = Http.bearer(whoami(), freshSocialToken());
        HttpResponse<String> warm = Http.bearer(whoami(), known);

        assertThat(cold.statusCode()).isEqualTo(503);
        assertThat(cold.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(cold.body()).contains("STS is unavailable right now").doesNotContain("Exception");
        assertThat(warm.statusCode()).isEqualTo(200);

        sts.setFault(Fault.NONE);
        assertThat(Http.bearer(whoami(), freshSocialToken()).statusCode()).as("recovered").isEqualTo(200);
    }


    static final String DATABASE_LOGIN = "connection=Username-Password-Authentication&username="
            + Http.enc(Demo.ADMIN_USERNAME) + "&password=" + Http.enc(Demo.ADMIN_PASSWORD);

    @Test
    @DisplayName("a browser signs in with the authorization code flow and its session carries the user")
    void signIn_session() {
        Http.Browser browser = new Http.Browser();

        HttpResponse<String> landed = browser.signIn(whoami(), DATABASE_LOGIN);

        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(landed.uri().getPath()).endsWith("/whoami");
        assertThat(Http.fields(landed.body())).containsEntry("role", "pet-shop-admin");
    }

    @Test
    @DisplayName("logout ends the session and evicts the user's credentials")
    void logout_evicts() {
        Http.Browser browser = new Http.Browser();
        String before = Http.fields(browser.signIn(whoami(), DATABASE_LOGIN).body()).get("accessKeyId");
        assertThat(Http.fields(browser.get(whoami()).body()).get("accessKeyId")).as("cached").isEqualTo(before);
        int calls = sts.callCount(WEB_IDENTITY);

        // Sign-out is a POST from the app's own origin (a GET only shows the sign-out button).
        assertThat(browser.post(URI.create(base + "logout"), Map.of("Origin", base.getProtocol() + "://" + base.getAuthority()))
                .statusCode()).isEqualTo(303);
        assertThat(browser.get(whoami()).uri().toString()).as("signed out").startsWith(idp.authorizationEndpoint().toString());

        String after = Http.fields(new Http.Browser().signIn(whoami(), DATABASE_LOGIN).body()).get("accessKeyId");
        assertThat(after).as("new credentials after the eviction").isNotEqualTo(before);
        assertThat(sts.callCount(WEB_IDENTITY)).isEqualTo(calls + 1);
    }
}

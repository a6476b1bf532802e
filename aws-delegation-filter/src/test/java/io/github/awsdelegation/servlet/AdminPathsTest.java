package io.github.awsdelegation.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opt-in admin paths ({@code admin:}) on a real Tomcat, against the testkit's identity provider: off by default
 * (404, the app's), protected (403 for a user who is no admin, and for a request without a user), allowed (JSON) for a
 * user the rules grant an admin role, for any signed-in user explaining themself with {@code selfExplain}, and for
 * loopback with {@code loopback}.
 */
class AdminPathsTest {

    static final String CONFIG = """
            oidc:
              issuer: ${ISSUER}
              clientId: %s
            sts:
              region: us-east-1
              endpoint: ${STS}
            rules:
              - id: social-buyers
                connectionType: social
                roles:
                  - arn: %s
                    sessionPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::pet-shop/${sub}/*"}]}'
              - id: database-admins
                connectionType: database
                roles:
                  - arn: %s
            """.formatted(Demo.CLIENT_ID, Demo.BUYER_ROLE_ARN, Demo.ADMIN_ROLE_ARN);

    static LocalAws aws;
    static Tomcat tomcat;
    static URI base;
    static final List<DelegationService> services = new java.util.ArrayList<>();

    @BeforeAll
    static void start(@TempDir Path dir) throws LifecycleException, IOException {
        aws = LocalAws.builder().start();
        tomcat = FilteredTomcat.create(dir);
        deploy("/off", "");
        deploy("/on", """
                admin:
                  roles: [%s]
                  selfExplain: true
                """.formatted(Demo.ADMIN_ROLE_ARN));
        deploy("/probe", """
                admin:
                  path: /ops
                  loopback: true
                """);
        tomcat.start();
        base = FilteredTomcat.base(tomcat);
    }

    // A context with the filter before an app that has no page at all: a path the filter does not answer is the app's 404.
    private static void deploy(String contextPath, String admin) {
        DelegationService service = DelegationService.create(DelegationConfigLoader.withVariables(Map.of(
                "ISSUER", aws.identityProvider().issuer().toString(), "STS", aws.sts().endpoint().toString()))
                .parse(CONFIG + admin));
        services.add(service);
        FilteredTomcat.deploy(tomcat, contextPath, service, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.sendError(404, "the app has no such page");
            }
        });
    }

    @AfterAll
    static void stop() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
        services.forEach(DelegationService::close);
        aws.close();
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    static HttpResponse<String> post(String path, String token, String body) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static String admin() {
        return aws.identityProvider().idTokenForDatabaseUser(Demo.ADMIN_USERNAME);
    }

    static String buyer() {
        return aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID);
    }

    @Test
    @DisplayName("off by default: no admin path, the app's 404, even for an admin")
    void offByDefault_404() throws Exception {
        HttpResponse<String> health = get("/off/admin/aws-delegation/health", admin());
        assertThat(health.statusCode()).isEqualTo(404);
        assertThat(health.body()).contains("the app has no such page");
        assertThat(get("/off/admin/aws-delegation/explain", admin()).statusCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("protected: a user who is no admin, or no user, gets 403 for health and for explaining someone else")
    void protected_403() throws Exception {
        HttpResponse<String> health = get("/on/admin/aws-delegation/health", buyer());
        assertThat(health.statusCode()).isEqualTo(403);
        assertThat(health.body()).contains("access_denied", "the health report is for admins");

        assertThat(get("/on/admin/aws-delegation/health", null).statusCode()).isEqualTo(403);

        HttpResponse<String> other = post("/on/admin/aws-delegation/explain", buyer(), "{\"claims\": {\"sub\": \"auth0|x\"}}");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("explaining another user is for admins");

        HttpResponse<String> rejected = get("/on/admin/aws-delegation/explain", "not-a-token");
        assertThat(rejected.statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("allowed: an admin gets the health report (200, UP) and explains anyone's claims as JSON")
    void admin_healthAndExplainAnyone() throws Exception {
        HttpResponse<String> health = get("/on/admin/aws-delegation/health", admin());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.headers().firstValue("Cache-Control")).hasValue("no-store");
        Map<String, Object> report = JSONObjectUtils.parse(health.body());
        assertThat(report).containsEntry("status", "UP");
        assertThat(health.body()).doesNotContain("eyJ");

        HttpResponse<String> explain = post("/on/admin/aws-delegation/explain", admin(),
                "{\"claims\": {\"sub\": \"amazon|amzn1.account.OTHER\"}, \"role\": \"pet-shop-admin\"}");
        assertThat(explain.statusCode()).as(explain.body()).isEqualTo(200);
        Map<String, Object> json = JSONObjectUtils.parse(explain.body());
        assertThat(json).containsEntry("granted", false);
        assertThat((String) json.get("refusal")).startsWith("role 'pet-shop-admin' is not permitted for this user; rule 'social-buyers'");

        HttpResponse<String> bad = post("/on/admin/aws-delegation/explain", admin(), "{\"user\": 1}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("the body must be {\\\"claims\\\"");
    }

    @Test
    @DisplayName("selfExplain: a signed-in user explains their own role, as JSON or text; no token is echoed")
    void selfExplain() throws Exception {
        String token = buyer();
        HttpResponse<String> json = get("/on/admin/aws-delegation/explain", token);
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        Map<String, Object> explanation = JSONObjectUtils.parse(json.body());
        assertThat(explanation).containsEntry("granted", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> user = (Map<String, Object>) explanation.get("user");
        assertThat(user).containsEntry("subject", "amazon|" + Demo.BUYER_AMAZON_ID).containsEntry("fromIdToken", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> session = (Map<String, Object>) explanation.get("session");
        assertThat((String) session.get("sessionPolicy")).contains("arn:aws:s3:::pet-shop/amazon|" + Demo.BUYER_AMAZON_ID + "/*");
        assertThat(json.body()).doesNotContain(token);

        HttpResponse<String> text = get("/on/admin/aws-delegation/explain?format=text", token);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(text.body()).contains("1. social-buyers: MATCHED, decides", "[yes] connection type is social",
                "Decision: " + Demo.BUYER_ROLE_ARN);
    }

    @Test
    @DisplayName("loopback: a probe on this host reads health without a user, at the configured path")
    void loopback_health() throws Exception {
        HttpResponse<String> health = get("/probe/ops/health", null);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).startsWith("{\"status\":\"UP\"");
    }

    @Test
    @DisplayName("admin: on without anyone allowed fails at start-up, naming the keys to set")
    void adminWithoutProtection_failsFast() {
        assertThatThrownBy(() -> DelegationConfigLoader.withVariables(Map.of("ISSUER", "https://idp.example.com/",
                "STS", "http://127.0.0.1:9/")).parse(CONFIG + "admin:\n  path: /ops\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("admin: the admin paths are on, but nobody may use them: list admin.roles");
        assertThatThrownBy(() -> DelegationConfigLoader.withVariables(Map.of("ISSUER", "https://idp.example.com/",
                "STS", "http://127.0.0.1:9/")).parse(CONFIG + "admin:\n  roles: [pet-shop-admin]\n"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("admin.roles: 'pet-shop-admin' is not an IAM role ARN");
    }
}

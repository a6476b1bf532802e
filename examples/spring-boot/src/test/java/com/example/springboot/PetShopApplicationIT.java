package com.example.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAwsExtension;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextException;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The app on Spring Boot's embedded Tomcat, on a random port, with the YAML's variables pointing it at the
 * testkit's local OIDC provider and STS; called over HTTP with ID tokens the local provider signed.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class PetShopApplicationIT {

    @RegisterExtension
    static LocalAwsExtension aws = LocalAwsExtension.builder().build();

    @BeforeAll
    static void pointTheYamlAtTheTestkit() {
        // Runs before Spring starts the app (at the first test): the filter reads these when Tomcat starts it.
        System.setProperty("OIDC_ISSUER", aws.identityProvider().issuer().toString());
        System.setProperty("OIDC_CLIENT_ID", Demo.CLIENT_ID);
        System.setProperty("OIDC_CLIENT_SECRET", "not-used-by-bearer-calls");
        System.setProperty("AWS_STS_ENDPOINT", aws.sts().endpoint().toString());
    }

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void freshCounts(LocalSts sts) {
        sts.resetCalls();
    }

    @Test
    @DisplayName("a signed-in database user gets the admin role the rules give, with credentials from STS")
    void databaseUser_adminRole(LocalIdentityProvider idp, LocalSts sts) throws Exception {
        HttpResponse<String> response = get("/whoami", Map.of(
                "Authorization", "Bearer " + idp.idTokenForDatabaseUser(Demo.ADMIN_USERNAME)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(response.body())
                .contains("\"connection\":\"database\"")
                .contains("\"role\":\"arn:aws:iam::123456789012:role/pet-shop-admin\"")
                .contains("\"rule\":\"database-admins\"")
                .contains("\"assumedRole\":\"arn:aws:sts::123456789012:assumed-role/pet-shop-admin/");
        assertThat(sts.callCount("AssumeRoleWithWebIdentity")).as("credentials from the local STS").isEqualTo(1);
    }

    @Test
    @DisplayName("a signed-in social user gets the buyer role")
    void socialUser_buyerRole(LocalIdentityProvider idp) throws Exception {
        HttpResponse<String> response = get("/whoami", Map.of(
                "Authorization", "Bearer " + idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"role\":\"arn:aws:iam::123456789012:role/pet-shop-buyer\"")
                .contains("\"rule\":\"social-buyers\"");
    }

    @Test
    @DisplayName("without a token: 401 with a Bearer challenge, before Spring's controller runs")
    void noToken_401(LocalSts sts) throws Exception {
        HttpResponse<String> response = get("/whoami", Map.of());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(response.body()).contains("\"status\":401").doesNotContain("pet-shop-admin");
        assertThat(sts.callCount("AssumeRoleWithWebIdentity")).isZero();
    }

    @Test
    @DisplayName("a social user asking for the admin role: 403, the rules do not permit it, and STS is never called")
    void roleNotPermitted_403(LocalIdentityProvider idp, LocalSts sts) throws Exception {
        HttpResponse<String> response = get("/whoami", Map.of(
                "Authorization", "Bearer " + idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID),
                "X-AWS-Role", "pet-shop-admin"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("\"error\":\"access_denied\"").contains("not permitted");
        assertThat(sts.callCount("AssumeRoleWithWebIdentity")).isZero();
    }

    @Test
    @DisplayName("a mistake in the YAML stops the app at start-up, and the log names the key (the filter's own init, no ServletContainerInitializer)")
    void misconfiguredYaml_appDoesNotStart(CapturedOutput log) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(PetShopApplication.class)
                .properties("server.port=0", "server.address=127.0.0.1", "aws-delegation.config=classpath:misspelt-connection-type.yaml");

        assertThatThrownBy(app::run).isInstanceOf(ApplicationContextException.class)
                .hasMessageContaining("Unable to start web server");
        assertThat(log.getOut()).contains(
                "AWS delegation configuration error: rules[0].connectionType: unknown connection type 'socail'");
    }

    HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

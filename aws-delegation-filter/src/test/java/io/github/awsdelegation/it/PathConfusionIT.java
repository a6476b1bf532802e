package io.github.awsdelegation.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.Demo;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Public paths against path confusion, with README's prefix {@code /static/*} and a protected servlet at
 * {@code /api/*}, on embedded Tomcat: the filter decides on the path Tomcat maps to a servlet, so no spelling of
 * {@code /api/x} passes as public, and a path spelled ambiguously gets 400 unless it is plainly public. Requests
 * go over a socket exactly as written ({@code curl --path-as-is}). The sample's deployment ITs repeat the attack
 * on the Tomcat distribution and on WildFly (Undertow), which normalise paths their own way.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PathConfusionIT {

    @Deployment(testable = false)
    static WebArchive shop() {
        ItEnvironment env = ItEnvironment.get();
        return ItEnvironment.war("paths", ItConfig.of(env.aws)
                .section("login", "{}")
                .section("request", "publicPaths: [/static/*]")
                .rule("database-admins", "database", ItConfig.role(Demo.ADMIN_ROLE_ARN)))
                .addClass(ApiEchoServlet.class)
                .addAsWebResource(new StringAsset("body { color: teal }"), "static/app.css");
    }

    @ArquillianResource
    URL base;

    String context() {
        return base.getPath().replaceAll("/$", "");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/static/../api/x", "/static/..;/api/x", "/static/%2e%2e/api/x", "/static/.%2e/api/x",
            "/static/%2E%2E/api/x", "/static/..%2fapi/x", "/static/..%5capi/x", "/static/..\\api/x", "/static;x=1/../api/x",
            "/static/./../api/x"})
    @DisplayName("a path that climbs out of /static/* never reaches /api/* without a token")
    void climbOutOfPublicPrefix_neverReachesApi(String attack) {
        Http.RawResponse response = Http.rawGet(base, context() + attack, "Accept: application/json");

        assertThat(response.body()).doesNotContain("api reached");
        assertThat(response.status()).as("refused by the filter, or by Tomcat itself before it").isEqualTo(400);
    }

    @Test
    @DisplayName("the filter's 400 names what is ambiguous and the plain path to use")
    void ambiguousPath_400_withReason() {
        Http.RawResponse response = Http.rawGet(base, context() + "/static/..;/api/x", "Accept: application/json");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"invalid_request\"").contains("a path parameter (;)")
                .contains("(/api/x)");
    }

    @Test
    @DisplayName("public files stay public, also when spelled with dot segments that stay inside /static/")
    void publicPrefix_served() {
        assertThat(Http.rawGet(base, context() + "/static/app.css").body()).contains("color: teal");
        Http.RawResponse inside = Http.rawGet(base, context() + "/static/x/../app.css");
        assertThat(inside.status()).isEqualTo(200);
        assertThat(inside.body()).contains("color: teal");
    }

    @Test
    @DisplayName("the API needs a token, however its path is spelled, and a token does not make an ambiguous path acceptable")
    void api_needsToken() {
        String token = ItEnvironment.get().aws.identityProvider().idTokenForDatabaseUser(Demo.ADMIN_USERNAME);

        assertThat(Http.rawGet(base, context() + "/api/x", "Accept: application/json").status()).isEqualTo(401);
        Http.RawResponse plain = Http.rawGet(base, context() + "/api/x", "Authorization: Bearer " + token);
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.body()).contains("api reached: /x delegation=pet-shop-admin");
        Http.RawResponse pathParameter = Http.rawGet(base, context() + "/api/x;jsessionid=0", "Authorization: Bearer " + token);
        assertThat(pathParameter.status()).isEqualTo(400);
        assertThat(pathParameter.body()).doesNotContain("api reached");
    }

    @Test
    @DisplayName("the module's own endpoints are matched on the same path: /static/..;/login is refused, /login starts a login")
    void moduleEndpoints_sameSafePath() {
        Http.RawResponse sneaky = Http.rawGet(base, context() + "/static/..;/login");
        Http.RawResponse login = Http.rawGet(base, context() + "/login");

        assertThat(sneaky.status()).isEqualTo(400);
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.head()).contains("Location: " + ItEnvironment.get().aws.identityProvider().authorizationEndpoint());
    }
}

package io.github.awsdelegation.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.Demo;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same filter against an OIDC server we did not write: mock-oauth2-server (NAV), with its own discovery,
 * JWKS and token format. The local STS trusts it as an IAM OIDC provider.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class IndependentOidcServerIT {

    @Deployment(testable = false)
    static WebArchive independent() {
        ItEnvironment env = ItEnvironment.get();
        return ItEnvironment.war("independent", ItConfig.of(env.mockIssuer, env.aws.sts().endpoint())
                .rule("social-buyers", "social", ItConfig.role(ItEnvironment.MOCK_BUYER_ROLE))
                .rule("database-admins", "database", ItConfig.role(ItEnvironment.MOCK_ADMIN_ROLE)));
    }

    @ArquillianResource
    URL base;

    final ItEnvironment env = ItEnvironment.get();

    // Issued to our client id, as a token endpoint does: mock-oauth2-server puts the client id in azp.
    String token(String subject, String audience) {
        return env.mock.issueToken(ItEnvironment.MOCK_ISSUER_ID, audience, new DefaultOAuth2TokenCallback(
                ItEnvironment.MOCK_ISSUER_ID, subject, "JWT", List.of(audience), Map.of("email", "x@example.com"), 3600))
                .serialize();
    }

    URI whoami() {
        return URI.create(base + "whoami");
    }

    @Test
    @DisplayName("a Google user of the independent server gets the buyer role")
    void socialUser_buyer() {
        HttpResponse<String> response = Http.bearer(whoami(), token("google-oauth2|1029384756", Demo.CLIENT_ID));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Http.fields(response.body())).containsEntry("connection", "social").containsEntry("role", "mock-buyer")
                .containsEntry("subject", "google-oauth2|1029384756");
    }

    @Test
    @DisplayName("a database user of the independent server gets the admin role")
    void databaseUser_admin() {
        HttpResponse<String> response = Http.bearer(whoami(), token("auth0|42", Demo.CLIENT_ID));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Http.fields(response.body())).containsEntry("role", "mock-admin");
    }

    @Test
    @DisplayName("a social user asking for the admin role gets 403")
    void escalation_forbidden() {
        HttpResponse<String> response = Http.get(whoami(), Map.of(
                "Authorization", "Bearer " + token("google-oauth2|1029384756", Demo.CLIENT_ID), "X-AWS-Role", "mock-admin"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    }

    @Test
    @DisplayName("a token for another client, or from another issuer, gets 401")
    void foreignTokens_401() {
        HttpResponse<String> otherClient = Http.bearer(whoami(), token("google-oauth2|1", "another-client"));
        HttpResponse<String> otherIssuer = Http.bearer(whoami(), env.aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID));

        assertThat(otherClient.statusCode()).isEqualTo(401);
        assertThat(otherClient.body()).contains("audience");
        assertThat(otherIssuer.statusCode()).isEqualTo(401);
        assertThat(otherIssuer.body()).contains("issuer");
    }
}

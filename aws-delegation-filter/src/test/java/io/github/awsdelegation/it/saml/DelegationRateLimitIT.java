package io.github.awsdelegation.it.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.it.Http;
import io.github.awsdelegation.it.ItConfig;
import io.github.awsdelegation.testkit.Demo;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /delegation}'s rate limit (Auth0's was 10 a minute per user and IP): over {@code saml.delegation.rateLimit}
 * requests a minute from one address, even with tokens that fail, the answer is 429 with {@code Retry-After}, and STS
 * is not asked. On embedded Tomcat, with a limit of 3.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DelegationRateLimitIT {

    @Deployment(testable = false)
    static WebArchive shop() {
        SamlItEnvironment env = SamlItEnvironment.get();
        return SamlItEnvironment.war("delegation-limit", env.config("""
                        delegation:
                          rateLimit: 3
                        """)
                .rule("social-buyers", "social",
                        ItConfig.role(SamlItEnvironment.SAML_BUYER_ROLE).principal(SamlItEnvironment.PROVIDER)));
    }

    @ArquillianResource
    URL base;

    @Test
    @DisplayName("the fourth request in a minute from one address gets 429 and Retry-After, whatever its token")
    void fourthRequestInAMinute_429() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", Demo.CLIENT_ID);
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        form.put("id_token", "not.a.token");
        form.put("api_type", "aws");
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(Http.post(URI.create(base + "delegation"), "application/x-www-form-urlencoded", Http.form(form),
                    Map.of()));
        }

        assertThat(answers.subList(0, 3)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(401));
        assertThat(answers.subList(3, 5)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.body()).contains("\"error\":\"too_many_requests\"").contains("this IP address")
                    .contains("saml.delegation.rateLimit");
            assertThat(r.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                    assertThat(Integer.parseInt(v)).isBetween(1, 60));
        });
    }
}

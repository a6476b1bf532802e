package io.github.awsdelegation.it.saml;

import io.github.awsdelegation.it.Http;
import io.github.awsdelegation.it.ItConfig;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The role escalation matrix through Auth0's {@code POST /delegation}: every (connection type × requested role)
 * pair; only the pairs the rules permit get credentials, the rest are 403 and never reach STS.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DelegationEndpointEscalationMatrixIT {

    @Deployment(testable = false)
    static WebArchive shop() {
        SamlItEnvironment env = SamlItEnvironment.get();
        return SamlItEnvironment.war("delegation-matrix", env.config("""
                        delegation:
                          enabled: true
                          rateLimit: 0  # the whole matrix from one test client; DelegationEndpointLimitsIT tests the limit
                        """)
                .rule("social-buyers", "social",
                        ItConfig.role(SamlItEnvironment.SAML_BUYER_ROLE).principal(SamlItEnvironment.PROVIDER))
                .rule("database-admins", "database",
                        ItConfig.role(SamlItEnvironment.SAML_ADMIN_ROLE).principal(SamlItEnvironment.PROVIDER),
                        ItConfig.role(SamlItEnvironment.SAML_BUYER_ROLE).principal(SamlItEnvironment.PROVIDER)));
    }

    @ArquillianResource
    URL base;

    final SamlItEnvironment env = SamlItEnvironment.get();
    final LocalIdentityProvider idp = env.aws.identityProvider();
    final LocalSts sts = env.aws.sts();

    @Test
    @DisplayName("only the rule-permitted (connection type, role) pairs get credentials from /delegation")
    void matrix() {
        env.registerProvider(URI.create(base + "saml/metadata"));
        Map<String, String> subjects = new LinkedHashMap<>();
        subjects.put("database", "auth0|delegation-matrix");
        subjects.put("social", "google-oauth2|delegation-matrix");
        subjects.put("enterprise", "samlp|delegation-matrix");
        subjects.put("passwordless", "email|delegation-matrix");
        subjects.put("unknown", "custom|delegation-matrix");
        Map<String, Set<String>> permitted = Map.of(
                "database", Set.of(SamlItEnvironment.SAML_ADMIN_ROLE, SamlItEnvironment.SAML_BUYER_ROLE),
                "social", Set.of(SamlItEnvironment.SAML_BUYER_ROLE));
        List<String> requests = new ArrayList<>(List.of(SamlItEnvironment.SAML_BUYER_ROLE, SamlItEnvironment.SAML_ADMIN_ROLE,
                "arn:aws:iam::999999999999:role/pet-shop-saml-admin", "arn:aws:iam::123456789012:role/*", Demo.ADMIN_ROLE_ARN));

        SoftAssertions softly = new SoftAssertions();
        for (Map.Entry<String, String> user : subjects.entrySet()) {
            String token = idp.newIdToken().subject(user.getValue()).sign();
            Set<String> allowed = permitted.getOrDefault(user.getKey(), Set.of());
            for (String requested : requests) {
                int stsCalls = sts.calls().size();
                Map<String, String> form = new LinkedHashMap<>();
                form.put("client_id", Demo.CLIENT_ID);
                form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
                form.put("id_token", token);
                form.put("target", Demo.CLIENT_ID);
                form.put("api_type", "aws");
                form.put("role", requested);
                form.put("principal", SamlItEnvironment.PROVIDER);
                HttpResponse<String> response = Http.post(URI.create(base + "delegation"),
                        "application/x-www-form-urlencoded", Http.form(form), Map.of());
                String pair = user.getKey() + " requesting " + requested;
                if (allowed.contains(requested)) {
                    softly.assertThat(response.statusCode()).as(pair + ": " + response.body()).isEqualTo(200);
                    softly.assertThat(response.body()).as(pair)
                            .contains("assumed-role/" + requested.substring(requested.lastIndexOf('/') + 1) + "/");
                } else {
                    softly.assertThat(response.statusCode()).as(pair + ": " + response.body()).isEqualTo(403);
                    softly.assertThat(sts.calls().size()).as(pair + " reached STS").isEqualTo(stsCalls);
                }
            }
        }
        softly.assertAll();
    }
}

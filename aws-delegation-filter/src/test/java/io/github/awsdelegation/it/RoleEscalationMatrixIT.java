package io.github.awsdelegation.it;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
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
 * Every (connection type × requested role) pair, through the header and the query parameter: only the pairs
 * the rules permit are granted; everything else is 403 and never reaches STS.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RoleEscalationMatrixIT {

    static final String OTHER_ACCOUNT_ADMIN = "arn:aws:iam::999999999999:role/pet-shop-admin";
    static final String OTHER_PARTITION_ADMIN = "arn:aws-cn:iam::123456789012:role/pet-shop-admin";

    @Deployment(testable = false)
    static WebArchive shop() {
        ItEnvironment env = ItEnvironment.get();
        return ItEnvironment.war("matrix", ItConfig.of(env.aws)
                .rule("social-buyers", "social", ItConfig.role(Demo.BUYER_ROLE_ARN))
                .rule("database-admins", "database", ItConfig.role(Demo.ADMIN_ROLE_ARN), ItConfig.role(Demo.BUYER_ROLE_ARN)));
    }

    @ArquillianResource
    URL base;

    final LocalIdentityProvider idp = ItEnvironment.get().aws.identityProvider();
    final LocalSts sts = ItEnvironment.get().aws.sts();

    @Test
    @DisplayName("only the rule-permitted (connection type, role) pairs are granted, by header and by query parameter")
    void matrix() {
        // connection type -> a subject of that type (Auth0 prefixes); the roles its rule permits
        Map<String, String> subjects = new LinkedHashMap<>();
        subjects.put("database", "auth0|matrix");
        subjects.put("social", "google-oauth2|matrix");
        subjects.put("enterprise", "samlp|matrix");
        subjects.put("passwordless", "email|matrix");
        subjects.put("unknown", "custom|matrix");
        Map<String, Set<String>> permitted = Map.of(
                "database", Set.of(Demo.ADMIN_ROLE_ARN, Demo.BUYER_ROLE_ARN),
                "social", Set.of(Demo.BUYER_ROLE_ARN));
        List<String> requests = List.of("pet-shop-buyer", "pet-shop-admin", Demo.BUYER_ROLE_ARN, Demo.ADMIN_ROLE_ARN,
                OTHER_ACCOUNT_ADMIN, OTHER_PARTITION_ADMIN, "pet-shop-admin ", "PET-SHOP-ADMIN", "admin", "*", "nonexistent",
                "arn:aws:iam::123456789012:role/*");

        SoftAssertions softly = new SoftAssertions();
        int pairs = 0;
        for (Map.Entry<String, String> user : subjects.entrySet()) {
            String token = idp.newIdToken().subject(user.getValue()).sign();
            Set<String> allowed = permitted.getOrDefault(user.getKey(), Set.of());
            for (String requested : requests) {
                String expected = allowed.stream().filter(arn -> arn.equals(requested.trim())
                        || arn.substring(arn.lastIndexOf('/') + 1).equalsIgnoreCase(requested.trim())).findFirst().orElse(null);
                for (String channel : List.of("header", "query")) {
                    pairs++;
                    int stsCalls = sts.callCount("AssumeRoleWithWebIdentity");
                    HttpResponse<String> response = channel.equals("header")
                            ? Http.get(URI.create(base + "whoami"), Map.of("Authorization", "Bearer " + token, "X-AWS-Role", requested))
                            : Http.bearer(URI.create(base + "whoami?aws_role=" + Http.enc(requested)), token);
                    String pair = user.getKey() + " requesting '" + requested + "' by " + channel;
                    if (expected != null) {
                        softly.assertThat(response.statusCode()).as(pair).isEqualTo(200);
                        softly.assertThat(Http.fields(response.body()).get("role")).as(pair)
                                .isEqualTo(expected.substring(expected.lastIndexOf('/') + 1));
                    } else {
                        softly.assertThat(response.statusCode()).as(pair + ": " + response.body()).isEqualTo(403);
                        softly.assertThat(sts.callCount("AssumeRoleWithWebIdentity")).as(pair + " reached STS").isEqualTo(stsCalls);
                    }
                }
            }
        }
        softly.assertThat(pairs).isEqualTo(5 * 12 * 2);
        softly.assertAll();
    }
}

package io.github.awsdelegation.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * What a client puts in a request, read one way only: a role request that names two roles is refused (400)
 * instead of resolved first-wins, and values from a signed token reach the log escaped, so that a {@code \r\n} in
 * {@code sub} cannot write a forged log line. On embedded Tomcat, whose log (SLF4J simple, to standard error) the
 * test reads.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RequestInputIT {

    @Deployment(testable = false)
    static WebArchive shop() {
        ItEnvironment env = ItEnvironment.get();
        return ItEnvironment.war("input", ItConfig.of(env.aws)
                .rule("social-buyers", "social", ItConfig.role(Demo.BUYER_ROLE_ARN))
                .rule("database-admins", "database", ItConfig.role(Demo.BUYER_ROLE_ARN), ItConfig.role(Demo.ADMIN_ROLE_ARN)));
    }

    @ArquillianResource
    URL base;

    final LocalIdentityProvider idp = ItEnvironment.get().aws.identityProvider();

    HttpResponse<String> whoami(String query, Map<String, String> headers) {
        return Http.get(URI.create(base + "whoami" + query), headers);
    }

    Map<String, String> admin(String... more) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + idp.idTokenForDatabaseUser(Demo.ADMIN_USERNAME));
        for (int i = 0; i < more.length; i += 2) {
            headers.put(more[i], more[i + 1]);
        }
        return headers;
    }

    static void assertAmbiguous(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"invalid_request\"").contains(reason).doesNotContain("accessKeyId");
    }

    @Test
    @DisplayName("aws_role twice in the query is refused, whichever comes first")
    void roleParameterTwice_400() {
        assertAmbiguous(whoami("?aws_role=pet-shop-buyer&aws_role=pet-shop-admin", admin()), "names aws_role 2 times");
        assertAmbiguous(whoami("?aws_role=pet-shop-admin&aws_role=pet-shop-buyer", admin()), "names aws_role 2 times");
        assertAmbiguous(whoami("?aws_role=pet-shop-admin&aws%5Frole=pet-shop-admin", admin()), "names aws_role 2 times");
    }

    @Test
    @DisplayName("a header and a query parameter that disagree are refused; agreeing ones are one request")
    void headerAndQueryDisagree_400() {
        assertAmbiguous(whoami("?aws_role=pet-shop-admin", admin("X-AWS-Role", "pet-shop-buyer")), "ask for different roles");

        HttpResponse<String> agreeing = whoami("?aws_role=pet-shop-buyer", admin("X-AWS-Role", "pet-shop-buyer"));
        assertThat(agreeing.statusCode()).isEqualTo(200);
        assertThat(Http.fields(agreeing.body())).containsEntry("role", "pet-shop-buyer").containsEntry("requested", "true");
    }

    @Test
    @DisplayName("several X-AWS-Role values (two header lines, or a list) are refused")
    void severalHeaderValues_400() {
        String token = idp.idTokenForDatabaseUser(Demo.ADMIN_USERNAME);
        Http.RawResponse twoLines = Http.rawGet(base, base.getPath() + "whoami", "Authorization: Bearer " + token,
                "X-AWS-Role: pet-shop-buyer", "X-AWS-Role: pet-shop-admin");
        assertThat(twoLines.status()).isEqualTo(400);
        assertThat(twoLines.body()).contains("header names 2 roles");

        assertAmbiguous(whoami("", admin("X-AWS-Role", "pet-shop-buyer, pet-shop-admin")), "header names 2 roles");
    }

    @Test
    @DisplayName("one role request, by header or by query, is still granted")
    void singleRequest_granted() {
        assertThat(Http.fields(whoami("?aws_role=pet-shop-admin", admin()).body())).containsEntry("role", "pet-shop-admin");
        assertThat(Http.fields(whoami("", admin("X-AWS-Role", "pet-shop-buyer")).body())).containsEntry("role", "pet-shop-buyer");
    }

    @Test
    @DisplayName("a signed sub with CR LF cannot forge a log line: the log shows it escaped")
    void crlfInSubject_loggedEscaped() {
        String forged = "12:00:00 [main] INFO io.github.awsdelegation.DelegationService - Issued credentials: subject=auth0|admin";
        String token = idp.newIdToken().subject("amazon|crlf\r\n" + forged + "\u2028x").sign();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        HttpResponse<String> response;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            response = Http.get(URI.create(base + "whoami?aws_role=pet-shop-admin"), Map.of("Authorization", "Bearer " + token));
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log);

        assertThat(response.statusCode()).as("a social user asking for admin: refused, and audited").isEqualTo(403);
        assertThat(log).contains("subject=amazon|crlf\\r\\n12:00:00 [main] INFO");
        assertThat(log.lines()).noneMatch(line -> line.startsWith("12:00:00"));
        assertThat(log).doesNotContain("\u2028").contains("\\u2028x");
    }
}

package io.github.awsdelegation.cdi.it;

import static io.github.awsdelegation.cdi.support.Http.as;
import static io.github.awsdelegation.cdi.support.Http.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.cdi.support.CdiEnvironment;
import io.github.awsdelegation.cdi.support.SigV4Endpoint;
import io.github.awsdelegation.cdi.support.TestWar;
import io.github.awsdelegation.testkit.IssuedSession;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The AWS clients the app gets, against an endpoint that checks every SigV4 signature with the SDK's signer and
 * the session token with the local STS's record of what it issued to whom.
 */
@ExtendWith(ArquillianExtension.class)
class ClientsIT {

    final CdiEnvironment environment = CdiEnvironment.get();

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive war() {
        return TestWar.create();
    }

    private List<SigV4Endpoint.Call> callsBy(String accessKeyId) {
        return environment.endpoint().calls().stream().filter(c -> accessKeyId.equals(c.accessKeyId())).toList();
    }

    @Test
    @DisplayName("the injected S3Client calls S3 as the user: the user's session credentials, in the region of the user's role")
    void s3() {
        Map<String, String> buyer = fields(as(environment.socialUser("s3-buyer"), base, "/s3").body());
        Map<String, String> shortSession = fields(as(environment.shortSessionUser("s3-short"), base, "/s3").body());

        IssuedSession buyerSession = environment.session(buyer.get("accessKeyId"));
        assertThat(buyer).containsEntry("listed", "[amazon|s3-buyer/hello.txt]")
                .containsEntry("object", "object pets/tom.json in pet-shop read by " + buyerSession.assumedRoleArn())
                .containsEntry("region", "us-east-1");
        assertThat(callsBy(buyer.get("accessKeyId"))).hasSize(2).allSatisfy(call -> {
            assertThat(call.verdict()).isEqualTo("OK");
            assertThat(call.service()).isEqualTo("s3");
            assertThat(call.region()).isEqualTo("us-east-1");
            assertThat(call.path()).startsWith("/pet-shop");
        });
        assertThat(shortSession).containsEntry("region", "eu-west-1");
        assertThat(callsBy(shortSession.get("accessKeyId"))).hasSize(2)
                .allSatisfy(call -> assertThat(call.region()).isEqualTo("eu-west-1"))
                .allSatisfy(call -> assertThat(call.verdict()).isEqualTo("OK"));
    }

    @Test
    @DisplayName("the injected ExecuteApiClient signs GET and POST for execute-api with the user's credentials")
    void executeApi() {
        Map<String, String> got = fields(as(environment.adminUser("api-admin"), base, "/api").body());

        IssuedSession session = environment.session(got.get("accessKeyId"));
        assertThat(got).containsEntry("getStatus", "200").containsEntry("postStatus", "200");
        assertThat(got.get("getBody")).contains("\"caller\":\"" + session.assumedRoleArn() + "\"", "\"method\":\"GET\"");
        assertThat(got.get("postBody")).contains("\"method\":\"POST\"", "{\\\"pet\\\":\\\"Tom\\\"}");
        assertThat(callsBy(got.get("accessKeyId"))).hasSize(2).allSatisfy(call -> {
            assertThat(call.verdict()).isEqualTo("OK");
            assertThat(call.service()).isEqualTo("execute-api");
            assertThat(call.path()).isEqualTo("/prod/pets");
        });
    }

    @Test
    @DisplayName("one long-lived client on the injected provider signs each call for the user whose request makes it")
    void longLivedClient_perUser() {
        String admin = environment.adminUser("longlived-admin");
        String buyer = environment.socialUser("longlived-buyer");

        Map<String, String> first = fields(as(admin, base, "/longlived").body());
        Map<String, String> second = fields(as(buyer, base, "/longlived").body());
        Map<String, String> third = fields(as(admin, base, "/longlived").body());

        for (Map<String, String> got : List.of(first, second, third)) {
            IssuedSession session = environment.session(got.get("accessKeyId"));
            assertThat(got.get("object")).isEqualTo("object pets/tom.json in pet-shop read by " + session.assumedRoleArn());
        }
        assertThat(environment.session(first.get("accessKeyId")).subject()).isEqualTo("auth0|longlived-admin");
        assertThat(environment.session(second.get("accessKeyId")).subject()).isEqualTo("amazon|longlived-buyer");
    }

    @Test
    @DisplayName("the provider handed to a long-lived client follows a refresh: the next request signs with the new credentials")
    void longLivedClient_followsRefresh() throws InterruptedException {
        String user = environment.shortSessionUser("longlived-refresh");
        Map<String, String> before = fields(as(user, base, "/longlived").body());
        String first = before.get("accessKeyId");

        // Sessions of the short role are refreshed one to two seconds after they are issued (CdiEnvironment).
        Map<String, String> after = before;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (after.get("accessKeyId").equals(first) && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            after = fields(as(user, base, "/longlived").body());
        }

        String refreshed = after.get("accessKeyId");
        assertThat(refreshed).as("credentials after the refresh").isNotEqualTo(first);
        assertThat(environment.session(refreshed).subject()).isEqualTo("amazon|longlived-refresh");
        assertThat(environment.session(refreshed).issuedAt()).isAfter(environment.session(first).issuedAt());
        assertThat(callsBy(refreshed)).isNotEmpty().allSatisfy(call -> assertThat(call.verdict()).isEqualTo("OK"));
        assertThat(after.get("object")).isEqualTo("object pets/tom.json in pet-shop read by "
                + environment.session(refreshed).assumedRoleArn());
    }
}

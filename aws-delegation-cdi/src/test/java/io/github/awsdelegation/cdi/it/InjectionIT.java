package io.github.awsdelegation.cdi.it;

import static io.github.awsdelegation.cdi.support.Http.as;
import static io.github.awsdelegation.cdi.support.Http.fields;
import static io.github.awsdelegation.cdi.support.Http.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.cdi.support.CdiEnvironment;
import io.github.awsdelegation.cdi.support.TestWar;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.IssuedSession;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a servlet and a CDI bean are injected with, for whom, and what they are told where there is no user. */
@ExtendWith(ArquillianExtension.class)
class InjectionIT {

    final CdiEnvironment environment = CdiEnvironment.get();

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive war() {
        return TestWar.create();
    }

    /** Asserts the answer describes this user's delegation, as the local STS issued it. */
    private void assertDelegation(Map<String, String> got, String subject, String roleArn, String rule) {
        IssuedSession session = environment.session(got.get("accessKeyId"));
        assertThat(got).containsEntry("subject", subject)
                .containsEntry("role", roleArn.substring(roleArn.lastIndexOf('/') + 1))
                .containsEntry("rule", rule)
                .containsEntry("providerAccessKeyId", got.get("accessKeyId"))
                .containsEntry("currentAccessKeyId", got.get("accessKeyId"))
                .containsEntry("delegationAccessKeyId", got.get("accessKeyId"))
                .containsEntry("sameCredentialsObject", "true")
                .containsEntry("assumedRoleArn", session.assumedRoleArn())
                .containsEntry("region", "us-east-1")
                .containsEntry("present", "true")
                .containsEntry("s3Region", "us-east-1");
        assertThat(got.get("apiCaller")).contains("\"caller\":\"" + session.assumedRoleArn() + "\"");
        assertThat(session.subject()).isEqualTo(subject);
        assertThat(session.roleArn()).isEqualTo(roleArn);
    }

    @Test
    @DisplayName("a servlet gets every injectable for the signed-in user: identity, decision, credentials, provider, S3 and API clients")
    void servlet() {
        HttpResponse<String> response = as(environment.adminUser("inject-servlet"), base, "/inject/servlet");

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, String> got = fields(response.body());
        assertDelegation(got, "auth0|inject-servlet", Demo.ADMIN_ROLE_ARN, "database-admins");
        assertThat(got.get("reason")).contains("connection type is database", "member of group pet-admins");
    }

    @Test
    @DisplayName("the service's DelegationHealth and Explainer are injectable, outside any user's request")
    void healthAndExplainer() {
        HttpResponse<String> response = get(base, "/public/operations");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, String> got = fields(response.body());
        assertThat(got).containsEntry("ready", "true").containsEntry("checks", "issuer,sts,credentialStore")
                .containsEntry("explainedRule", "social-buyers").containsEntry("explainedRole", "pet-shop-buyer");
    }

    @Test
    @DisplayName("a request-scoped CDI bean gets the same, every value injected directly")
    void bean() {
        HttpResponse<String> response = as(environment.socialUser("inject-bean"), base, "/inject/bean");

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, String> got = fields(response.body());
        assertDelegation(got, "amazon|inject-bean", Demo.BUYER_ROLE_ARN, "social-buyers");
        assertThat(got).containsEntry("reason", "connection type is social");
    }

    @Test
    @DisplayName("in a request the filter does not cover, every bean says the filter is not mapped to that path")
    void notCovered() {
        Map<String, String> servlet = fields(get(base, "/public/inject/servlet").body());
        Map<String, String> bean = fields(get(base, "/public/inject/bean").body());

        String message = "no AWS delegation for this request to /public/inject/servlet: the aws-delegation filter is not "
                + "mapped to this path, or lets it through as a public path (request.publicPaths)";
        assertThat(servlet).containsEntry("present", "false");
        for (String value : List.of("subject", "role", "accessKeyId", "providerAccessKeyId", "currentAccessKeyId",
                "delegationAccessKeyId", "assumedRoleArn", "region", "s3Region", "apiCaller")) {
            assertThat(servlet.get(value)).as(value).startsWith("!NoDelegationException: " + message);
        }
        assertThat(bean.get("error")).contains("NoDelegationException")
                .contains("no AWS delegation for this request to /public/inject/bean: the aws-delegation filter is not mapped");
    }

    @Test
    @DisplayName("outside an HTTP request, the beans say there is no request on this thread, and give nobody's credentials")
    void outsideRequest() {
        Map<String, String> got = fields(as(environment.socialUser("background"), base, "/inject/background").body());

        String message = "!NoDelegationException: no AWS delegation: no HTTP request is active on this thread";
        assertThat(got.get("provider")).startsWith(message);
        assertThat(got.get("current")).startsWith(message);
        assertThat(got.get("credentials")).startsWith(message);
        assertThat(got).containsEntry("present", "false").containsEntry("inRequest", "amazon|background");
    }

    @Test
    @DisplayName("two users' concurrent requests never see each other's credentials")
    void concurrentUsers() throws Exception {
        String admin = environment.adminUser("concurrent-admin");
        String buyer = environment.socialUser("concurrent-buyer");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<HttpResponse<String>>> adminAnswers = new ArrayList<>();
            List<Future<HttpResponse<String>>> buyerAnswers = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                Future<HttpResponse<String>> a = pool.submit(() -> as(admin, base, "/concurrent"));
                Future<HttpResponse<String>> b = pool.submit(() -> as(buyer, base, "/concurrent"));
                adminAnswers.add(a);
                buyerAnswers.add(b);
                a.get();
                b.get();
            }
            for (Future<HttpResponse<String>> answer : adminAnswers) {
                assertOwnCredentials(fields(answer.get().body()), "auth0|concurrent-admin");
            }
            for (Future<HttpResponse<String>> answer : buyerAnswers) {
                assertOwnCredentials(fields(answer.get().body()), "amazon|concurrent-buyer");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertOwnCredentials(Map<String, String> got, String subject) {
        assertThat(got).containsEntry("met", "true").containsEntry("subject", subject);
        String key = got.get("before");
        assertThat(got).containsEntry("bean", key).containsEntry("provider", key).containsEntry("current", key);
        assertThat(environment.session(key).subject()).isEqualTo(subject);
    }
}

package io.github.awsdelegation.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.Fault;
import io.github.awsdelegation.testkit.IssuedSession;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With every logger at TRACE (this class runs in its own Failsafe execution, logging to a file), a full run
 * of sign-in, issuance, background refresh, failures and logout leaves no secret key, session token or ID
 * token in the log or in any answer the browser or client saw.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SecretsNeverLeakIT {

    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}");

    @Deployment(testable = false)
    static WebArchive shop() {
        ItEnvironment env = ItEnvironment.get();
        // 15-minute credentials, refresh points between 899 s and 898 s before expiry (1 s above a minimum validity of
        // 897 s): a request 2 to 3 seconds after the last issuance is served and refreshes them.
        return ItEnvironment.war("secrets", ItConfig.of(env.aws)
                .sts("sessionDuration", "900s")
                .section("cache", """
                        refreshAhead: 899s
                        minimumValidity: 897s
                        """)
                .section("login", "{}")
                .rule("social-buyers", "social", ItConfig.role(Demo.BUYER_ROLE_ARN))
                .rule("database-admins", "database", ItConfig.role(Demo.ADMIN_ROLE_ARN)));
    }

    @ArquillianResource
    URL base;

    final LocalIdentityProvider idp = ItEnvironment.get().aws.identityProvider();
    final LocalSts sts = ItEnvironment.get().aws.sts();

    @Test
    @DisplayName("a full run at TRACE leaves no secret in the log or in any answer")
    void fullRun_noSecrets() throws Exception {
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "target/trace-it.log"));
        assertThat(System.getProperty("org.slf4j.simpleLogger.defaultLogLevel")).as("run by the trace execution").isEqualTo("trace");
        URI whoami = URI.create(base + "whoami");
        List<String> answers = new ArrayList<>();
        List<String> tokens = new ArrayList<>();

        // Sign-in through the login page, issuance, and refreshes ahead of expiry.
        Http.Browser browser = new Http.Browser();
        answers.add(browser.signIn(whoami, "connection=Username-Password-Authentication&username="
                + Http.enc(Demo.ADMIN_USERNAME) + "&password=" + Http.enc(Demo.ADMIN_PASSWORD)).body());
        for (int i = 0; i < 3; i++) {
            Thread.sleep(2100);
            answers.add(browser.get(whoami).body());
        }
        // API clients: success, refusal, rejection.
        String buyer = idp.newIdToken().subject("amazon|" + UUID.randomUUID()).sign();
        tokens.add(buyer);
        answers.add(Http.bearer(whoami, buyer).body());
        answers.add(Http.get(whoami, Map.of("Authorization", "Bearer " + buyer, "X-AWS-Role", "pet-shop-admin")).body());
        String forged = idp.newIdToken().signWithForeignKey();
        tokens.add(forged);
        answers.add(Http.bearer(whoami, forged).body());
        // STS failing for a new user.
        sts.setFault(Fault.UNAVAILABLE);
        String cold = idp.newIdToken().subject("amazon|" + UUID.randomUUID()).sign();
        tokens.add(cold);
        HttpResponse<String> unavailable = Http.bearer(whoami, cold);
        sts.setFault(Fault.NONE);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        answers.add(unavailable.body());
        // Logout.
        answers.add(browser.get(URI.create(base + "logout")).body()); // the sign-out page
        answers.add(browser.post(URI.create(base + "logout"), Map.of("Origin", base.getProtocol() + "://" + base.getAuthority()))
                .body());
        Thread.sleep(500); // let background refreshes finish their log lines

        List<String> secrets = new ArrayList<>(tokens);
        for (IssuedSession session : sts.sessions()) {
            secrets.add(session.secretAccessKey());
            secrets.add(session.sessionToken());
        }
        assertThat(sts.callCount("AssumeRoleWithWebIdentity")).as("issuance and refreshes happened").isGreaterThanOrEqualTo(4);
        String logged = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(logged).as("the trace log was written").contains("TRACE").contains("Issued credentials");
        for (String secret : secrets) {
            assertThat(logged).as("log").doesNotContain(secret);
            for (String answer : answers) {
                assertThat(answer).as("answer").doesNotContain(secret);
            }
        }
        assertThat(JWT.matcher(logged).find()).as("no JWT-shaped string in the log").isFalse();
        assertThat(logged).doesNotContain("PRIVATE KEY").doesNotContain("\"d\":\"");
        for (String answer : answers) {
            assertThat(JWT.matcher(answer).find()).as("no JWT in an answer: " + answer).isFalse();
        }
    }
}

package io.github.awsdelegation.sample.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.sample.SampleEnvironment;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A deployment that forgets a variable ({@code AWS_DELEGATION_ISSUER}): what the user sees on each server. Both
 * name the variable and tell how to fix it in the server log, but at different moments: Tomcat initializes the
 * filter when it starts the WAR, Undertow (WildFly) on the first request.
 */
class MissingVariableIT {

    private static final String MESSAGE = "oidc.issuer: ${AWS_DELEGATION_ISSUER} is neither a system property nor an "
            + "environment variable; set it, or give a default as ${AWS_DELEGATION_ISSUER:-value}";

    private static SampleEnvironment environment;
    private static Map<String, String> variables;

    @BeforeAll
    static void startLocalAws() throws Exception {
        Path work = work("local-aws");
        environment = SampleEnvironment.start(work);
        variables = new LinkedHashMap<>(environment.variables());
        variables.remove("AWS_DELEGATION_ISSUER");
    }

    @AfterAll
    static void stopLocalAws() {
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    @DisplayName("Tomcat does not start the WAR (404), and its host log (logs/localhost.<date>.log) names the variable")
    void tomcat_missingIssuer_warDoesNotStart() throws Exception {
        TomcatDistribution.Running tomcat = TomcatDistribution.start(DeployedSampleContract.WAR, variables, work("tomcat"));
        try (ServerProcess server = tomcat.server()) {
            tomcat.awaitStartupFailed();

            // The console says only "One or more Filters failed to start. Full details will be found in the
            // appropriate container log file": the host's log, logs/localhost.<date>.log, has the filter's exception.
            assertThat(server.logText()).contains("Context [/sample-war] startup failed due to previous errors");
            server.awaitReady("wrote the host log", Duration.ofSeconds(10), () -> tomcat.hostLog().contains(MESSAGE));
            server.awaitReady("answering", Duration.ofSeconds(30), () -> tomcat.homePageStatus() != null);
            assertThat(tomcat.homePageStatus()).isEqualTo(404);
        }
    }

    // Undertow initializes filters on the first request (WildFly's servlet-container eager-filter-initialization is
    // false by default): the WAR is reported deployed, and every request fails. Should the app ever validate its
    // configuration at deployment (a ServletContextListener), WildFly writes sample-war.war.failed instead.
    @Test
    @DisplayName("WildFly reports the WAR deployed, but every request fails with 500 and its log names the variable")
    void wildFly_missingIssuer_requestsFail() throws Exception {
        WildFlyDistribution.Running wildFly = WildFlyDistribution.start(DeployedSampleContract.WAR, variables, work("wildfly"));
        try (ServerProcess server = wildFly.server()) {
            wildFly.awaitDeployed();

            HttpResponse<Void> home = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(wildFly.app()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());

            assertThat(home.statusCode()).isEqualTo(500);
            server.awaitReady("logged the configuration error", Duration.ofSeconds(10), () -> server.logText().contains(MESSAGE));
        }
    }

    private static Path work(String name) throws Exception {
        Path work = DeployedSampleContract.WORK.resolve(MissingVariableIT.class.getSimpleName()).resolve(name);
        DeployedSampleContract.deleteRecursively(work);
        return Files.createDirectories(work);
    }
}

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
 * A deployment that forgets a required variable: what the user sees, and where the variable's name shows.
 *
 * <p>The shop's own settings ({@code PET_SHOP_API_URL}) are read when the application starts, so a missing one
 * fails the deployment everywhere. The filter's configuration ({@code AWS_DELEGATION_ISSUER}) is read when the
 * container initializes the filter: Tomcat does that when it starts the WAR, Undertow (WildFly) on the first
 * request, as its servlet-container's {@code eager-filter-initialization} is false by default.
 */
class MissingVariableIT {

    private static final String NO_ISSUER = "oidc.issuer: ${AWS_DELEGATION_ISSUER} is neither a system property nor an "
            + "environment variable; set it, or give a default as ${AWS_DELEGATION_ISSUER:-value}";

    private static SampleEnvironment environment;

    @BeforeAll
    static void startLocalAws() throws Exception {
        environment = SampleEnvironment.start(work("local-aws"));
    }

    @AfterAll
    static void stopLocalAws() {
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    @DisplayName("WildFly: without PET_SHOP_API_URL the deployment fails, and sample-war.war.failed names the variable")
    void wildFly_missingPetsApi_deploymentFails() throws Exception {
        WildFlyDistribution.Running wildFly = WildFlyDistribution.start(DeployedSampleContract.WAR,
                without("PET_SHOP_API_URL"), work("wildfly-no-pets-api"));
        try {
            String failed = wildFly.awaitFailed();

            assertThat(failed).contains("PET_SHOP_API_URL is not set: set it as a system property or environment variable");
        } finally {
            wildFly.server().close();
        }
    }

    @Test
    @DisplayName("WildFly: without AWS_DELEGATION_ISSUER the WAR deploys, but every request fails with 500 and the log names the variable")
    void wildFly_missingIssuer_requestsFail() throws Exception {
        WildFlyDistribution.Running wildFly = WildFlyDistribution.start(DeployedSampleContract.WAR,
                without("AWS_DELEGATION_ISSUER"), work("wildfly-no-issuer"));
        try (ServerProcess server = wildFly.server()) {
            wildFly.awaitDeployed();

            HttpResponse<Void> home = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(wildFly.app()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());

            assertThat(home.statusCode()).isEqualTo(500);
            server.awaitReady("logged the configuration error", Duration.ofSeconds(10), () -> server.logText().contains(NO_ISSUER));
        }
    }

    @Test
    @DisplayName("Tomcat: without AWS_DELEGATION_ISSUER the WAR does not start (404), and logs/localhost.<date>.log names the variable")
    void tomcat_missingIssuer_warDoesNotStart() throws Exception {
        TomcatDistribution.Running tomcat = TomcatDistribution.start(DeployedSampleContract.WAR,
                without("AWS_DELEGATION_ISSUER"), work("tomcat-no-issuer"));
        try (ServerProcess server = tomcat.server()) {
            tomcat.awaitStartupFailed();

            // The console says only "One or more Filters failed to start. Full details will be found in the
            // appropriate container log file": the host's log has the filter's exception.
            assertThat(server.logText()).contains("Context [/sample-war] startup failed due to previous errors");
            server.awaitReady("wrote the host log", Duration.ofSeconds(10), () -> tomcat.hostLog().contains(NO_ISSUER));
            server.awaitReady("answering", Duration.ofSeconds(30), () -> tomcat.homePageStatus() != null);
            assertThat(tomcat.homePageStatus()).isEqualTo(404);
        }
    }

    private static Map<String, String> without(String key) {
        Map<String, String> variables = new LinkedHashMap<>(environment.variables());
        assertThat(variables.remove(key)).as(key).isNotNull();
        return variables;
    }

    private static Path work(String name) throws Exception {
        Path work = DeployedSampleContract.WORK.resolve(MissingVariableIT.class.getSimpleName()).resolve(name);
        DeployedSampleContract.deleteRecursively(work);
        return Files.createDirectories(work);
    }
}

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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A deployment that forgets a variable: what the user sees on WildFly.
 *
 * <p>Undertow initializes servlet filters on the first request, not at deployment (WildFly's servlet-container
 * {@code eager-filter-initialization} is false by default), so the WAR is reported deployed and the configuration
 * error comes with the first request: 500, and the server log names the variable and how to fix it. If the app
 * ever validates its configuration at deployment (a {@code ServletContextListener}), WildFly will write
 * {@code sample-war.war.failed} instead and this specification changes with it.
 */
class WildFlyMissingVariableIT {

    @Test
    @DisplayName("without AWS_DELEGATION_ISSUER every request fails with 500 and the server log names the variable")
    void missingIssuer_firstRequestFails_logNamesTheVariable() throws Exception {
        Path work = DeployedSampleContract.WORK.resolve(getClass().getSimpleName());
        DeployedSampleContract.deleteRecursively(work);
        Files.createDirectories(work);
        try (SampleEnvironment environment = SampleEnvironment.start(work)) {
            Map<String, String> variables = new LinkedHashMap<>(environment.variables());
            variables.remove("AWS_DELEGATION_ISSUER");

            WildFlyDistribution.Running wildFly = WildFlyDistribution.start(DeployedSampleContract.WAR, variables, work);
            try (ServerProcess server = wildFly.server()) {
                wildFly.awaitDeployed();

                HttpResponse<Void> home = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                        HttpRequest.newBuilder(wildFly.app()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());

                assertThat(home.statusCode()).isEqualTo(500);
                server.awaitReady("logged the configuration error", Duration.ofSeconds(10), () -> server.logText().contains(
                        "AWS delegation configuration error: oidc.issuer: ${AWS_DELEGATION_ISSUER} is neither a system property "
                        + "nor an environment variable; set it"));
            }
        }
    }
}

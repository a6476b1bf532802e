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
 * <p>Both fail the deployment, on both servers: the shop's own settings ({@code PET_SHOP_API_URL}) are read when
 * the application starts, and so is the filter's configuration ({@code AWS_DELEGATION_ISSUER}), by the filter jar's
 * {@code ServletContainerInitializer} — although Undertow (WildFly) starts filters only at the first request.
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
    @DisplayName("WildFly: without AWS_DELEGATION_ISSUER the deployment fails, and sample-war.war.failed names the variable")
    void wildFly_missingIssuer_deploymentFails() throws Exception {
        WildFlyDistribution.Running wildFly = WildFlyDistribution.start(DeployedSampleContract.WAR,
                without("AWS_DELEGATION_ISSUER"), work("wildfly-no-issuer"));
        try {
            String failed = wildFly.awaitFailed();

            assertThat(failed).contains(NO_ISSUER);
        } finally {
            wildFly.server().close();
        }
    }

    @Test
    @DisplayName("Tomcat: without AWS_DELEGATION_ISSUER the WAR does not deploy (404), and Tomcat's console names the variable")
    void tomcat_missingIssuer_warDoesNotDeploy() throws Exception {
        TomcatDistribution.Running tomcat = TomcatDistribution.start(DeployedSampleContract.WAR,
                without("AWS_DELEGATION_ISSUER"), work("tomcat-no-issuer"));
        try (ServerProcess server = tomcat.server()) {
            tomcat.awaitStartupFailed();

            assertThat(server.logText()).contains("Error deploying web application archive")
                    .contains("AWS delegation configuration error: " + NO_ISSUER);
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

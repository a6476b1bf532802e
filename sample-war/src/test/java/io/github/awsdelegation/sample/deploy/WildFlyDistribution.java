package io.github.awsdelegation.sample.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WildFly from {@code org.wildfly:wildfly-dist:zip}, started as users start it ({@code bin/standalone.sh}, the
 * sample's variables as {@code -D} options) with {@code sample-war.war} in its deployments directory.
 *
 * <p>Every socket is bound to 127.0.0.1 on a free port (HTTP, HTTPS, management HTTP and HTTPS, AJP). The
 * distribution stays untouched: the server's base directory ({@code jboss.server.base.dir}: configuration,
 * deployments, data, log) is a fresh copy of its {@code standalone/} under the test's work directory.
 */
final class WildFlyDistribution {

    static final Path HOME = Path.of(System.getProperty("deploy.wildfly.home", "target/wildfly")).toAbsolutePath();

    private static final Duration DEPLOYMENT_TIMEOUT = Duration.ofSeconds(120);

    private WildFlyDistribution() {
    }

    /** A started WildFly, where its deployment markers appear, and the app's base URL. */
    record Running(ServerProcess server, Path deployments, URI app) {

        /** The deployment scanner's marker for the WAR: {@code sample-war.war.deployed}, {@code .failed}, ... */
        Path marker(String suffix) {
            return deployments.resolve(DeployedSampleContract.CONTEXT + ".war." + suffix);
        }

        /**
         * Waits for {@code sample-war.war.deployed}.
         *
         * @throws IllegalStateException with the content of {@code sample-war.war.failed} when the deployment fails
         */
        void awaitDeployed() {
            server.awaitReady("deployed " + app, DEPLOYMENT_TIMEOUT, () -> {
                if (Files.exists(marker("failed"))) {
                    throw new IllegalStateException("the deployment failed: " + Files.readString(marker("failed")));
                }
                return Files.exists(marker("deployed"));
            });
        }

        /** Waits for {@code sample-war.war.failed} and returns what it says, failing if the WAR deploys instead. */
        String awaitFailed() {
            server.awaitReady("failed to deploy the WAR, as expected", DEPLOYMENT_TIMEOUT, () -> {
                if (Files.exists(marker("deployed"))) {
                    throw new IllegalStateException("the WAR deployed, but it was expected to fail");
                }
                return Files.exists(marker("failed"));
            });
            try {
                return Files.readString(marker("failed"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Starts WildFly with the WAR in its deployments directory (deployed as the server boots) and every variable as
     * a {@code -D} option of {@code standalone.sh}.
     *
     * @param work an empty directory of this server's own
     */
    static Running start(Path war, Map<String, String> variables, Path work) throws IOException {
        assertThat(HOME.resolve("bin/standalone.sh")).as("the unpacked WildFly distribution").isRegularFile();
        Path base = work.resolve("wildfly-base");
        DeployedSampleContract.copyDirectory(HOME.resolve("standalone/configuration"), base.resolve("configuration"));
        // As docs/sample.md configures WildFly: a request header limit that fits the filter's 20,000-character token
        // (jboss-cli: /subsystem=undertow/server=default-server/http-listener=default:write-attribute(name=max-header-size,value=32768)).
        Path standaloneXml = base.resolve("configuration/standalone.xml");
        String configuration = Files.readString(standaloneXml, StandardCharsets.UTF_8);
        String listener = "<http-listener name=\"default\" socket-binding=\"http\"";
        assertThat(configuration).as("WildFly's standalone.xml").contains(listener);
        Files.writeString(standaloneXml, configuration.replace(listener, listener + " max-header-size=\"32768\""),
                StandardCharsets.UTF_8);
        Path deployments = Files.createDirectories(base.resolve("deployments"));
        Files.copy(war, deployments.resolve(DeployedSampleContract.CONTEXT + ".war"));

        int httpPort = ServerProcess.freePort();
        List<String> command = new ArrayList<>(List.of("/bin/sh", HOME.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base,
                "-Djboss.bind.address=127.0.0.1",
                "-Djboss.bind.address.management=127.0.0.1",
                "-Djboss.http.port=" + httpPort,
                "-Djboss.https.port=" + ServerProcess.freePort(),
                "-Djboss.management.http.port=" + ServerProcess.freePort(),
                "-Djboss.management.https.port=" + ServerProcess.freePort(),
                "-Djboss.ajp.port=" + ServerProcess.freePort()));
        // Secrets in the environment, as docs/sample.md advises: the start script prints its -D options.
        Map<String, String> environment = new LinkedHashMap<>(Map.of("JBOSS_HOME", HOME.toString(),
                "JAVA_HOME", System.getProperty("java.home")));
        variables.forEach((key, value) -> {
            if (DeployedSampleContract.isSecret(key)) {
                environment.put(key, value);
            } else {
                command.add("-D" + key + "=" + value);
            }
        });
        // standalone.conf's defaults, plus C1 only: a test server lives for a minute, and starts faster so.
        String javaOptions = "-Xms64m -Xmx512m -XX:TieredStopAtLevel=1 -Djava.net.preferIPv4Stack=true"
                + " -Djboss.modules.system.pkgs=org.jboss.byteman -Djava.awt.headless=true";
        environment.put("JAVA_OPTS", javaOptions);
        ServerProcess server = ServerProcess.start("WildFly", command, base, environment, work.resolve("wildfly.log"));
        return new Running(server, deployments, URI.create("http://127.0.0.1:" + httpPort + "/" + DeployedSampleContract.CONTEXT + "/"));
    }
}

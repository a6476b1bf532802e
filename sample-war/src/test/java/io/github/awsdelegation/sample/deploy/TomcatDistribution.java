package io.github.awsdelegation.sample.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Tomcat 10.1 distribution from Maven Central ({@code org.apache.tomcat:tomcat:zip}) with Weld servlet installed
 * as users install it ({@code weld-servlet-shaded} in Tomcat's {@code lib/}, not in the WAR), started as users start
 * it: the variables in {@code bin/setenv.sh} as {@code CATALINA_OPTS}, {@code webapps/sample-war.war}, and
 * {@code bin/catalina.sh run}.
 *
 * <p>The distribution stays untouched apart from {@code lib/}: the server runs with a {@code CATALINA_BASE} of its
 * own, fresh for every run: the distribution's {@code conf/} with a minimal {@code server.xml} (one HTTP connector
 * on 127.0.0.1, no shutdown port), {@code bin/setenv.sh} and {@code webapps/}.
 */
final class TomcatDistribution {

    static final Path HOME = Path.of(System.getProperty("deploy.tomcat.home", "target/apache-tomcat")).toAbsolutePath();

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> STARTUP_FAILED = List.of("startup failed due to previous errors",
            "Error deploying web application archive");

    private TomcatDistribution() {
    }

    /** A started Tomcat, its CATALINA_BASE and the app's base URL. */
    record Running(ServerProcess server, Path base, URI app) {

        /** Waits until the app's home page answers 200, failing fast when the log says the WAR did not start. */
        void awaitServing() {
            server.awaitReady("serving " + app, STARTUP_TIMEOUT, () -> {
                if (startupFailed()) {
                    throw new IllegalStateException("the WAR did not start on Tomcat");
                }
                Integer status = homePageStatus();
                if (status != null && status != 200) {
                    throw new IllegalStateException("Tomcat answers, but " + app + " answered " + status);
                }
                return status != null;
            });
        }

        /** Waits until Tomcat has given up starting the WAR, failing if the WAR serves instead. */
        void awaitStartupFailed() {
            server.awaitReady("failed to start the WAR, as expected", STARTUP_TIMEOUT, () -> {
                Integer status = homePageStatus();
                if (status != null && status == 200) {
                    throw new IllegalStateException("the WAR started, but it was expected to fail");
                }
                return startupFailed();
            });
        }

        /** What the app's home page answers; null while Tomcat's connector is not open yet. */
        Integer homePageStatus() throws IOException, InterruptedException {
            try {
                return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build()
                        .send(HttpRequest.newBuilder(app).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (ConnectException | HttpTimeoutException notYet) {
                return null;
            }
        }

        private boolean startupFailed() {
            String log = server.logText();
            return STARTUP_FAILED.stream().anyMatch(log::contains);
        }
    }

    /**
     * Starts Tomcat with the WAR in {@code webapps/} and every variable as a {@code -D} option in
     * {@code bin/setenv.sh}.
     *
     * @param work an empty directory of this server's own
     */
    static Running start(Path war, Map<String, String> variables, Path work) throws IOException {
        assertThat(HOME.resolve("bin/catalina.sh")).as("the unpacked Tomcat distribution").isRegularFile();
        try (Stream<Path> lib = Files.list(HOME.resolve("lib"))) {
            assertThat(lib.map(jar -> jar.getFileName().toString())).as("Tomcat's lib/")
                    .anyMatch(jar -> jar.startsWith("weld-servlet-shaded-"));
        }
        int port = ServerProcess.freePort();
        Path base = work.resolve("tomcat-base");
        DeployedSampleContract.copyDirectory(HOME.resolve("conf"), base.resolve("conf"));
        try (InputStream serverXml = TomcatDistribution.class.getResourceAsStream("/deploy/tomcat-server.xml")) {
            Files.copy(serverXml, base.resolve("conf/server.xml"), StandardCopyOption.REPLACE_EXISTING);
        }
        for (String directory : List.of("bin", "logs", "temp", "work", "webapps")) {
            Files.createDirectories(base.resolve(directory));
        }
        Files.writeString(base.resolve("bin/setenv.sh"), setenv(variables, port), StandardCharsets.UTF_8);
        Files.copy(war, base.resolve("webapps/" + DeployedSampleContract.CONTEXT + ".war"));

        // JAVA_OPTS: C1 only, as a test server lives for a minute and starts faster so.
        ServerProcess server = ServerProcess.start("Tomcat", List.of("/bin/sh", HOME.resolve("bin/catalina.sh").toString(), "run"),
                base, Map.of("CATALINA_HOME", HOME.toString(), "CATALINA_BASE", base.toString(),
                        "JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", "-XX:TieredStopAtLevel=1"),
                work.resolve("tomcat.log"));
        return new Running(server, base, URI.create("http://127.0.0.1:" + port + "/" + DeployedSampleContract.CONTEXT + "/"));
    }

    /**
     * {@code bin/setenv.sh} as docs/sample.md shows it: each variable a system property in CATALINA_OPTS, but secrets
     * exported as environment variables, which Tomcat does not write to its log.
     */
    private static String setenv(Map<String, String> variables, int port) {
        StringBuilder script = new StringBuilder("# The pet shop sample's configuration: each variable a Java system property.\n");
        variables.forEach((key, value) -> {
            // catalina.sh evaluates CATALINA_OPTS once more: single quotes keep a value as it is.
            assertThat(value).as(key).doesNotContain("'");
            if (DeployedSampleContract.isSecret(key)) {
                script.append("export ").append(key).append("='").append(value).append("'\n");
            } else {
                script.append("CATALINA_OPTS=\"$CATALINA_OPTS -D").append(key).append("='").append(value).append("'\"\n");
            }
        });
        script.append("# The test's own: the HTTP port of its conf/server.xml.\n");
        script.append("CATALINA_OPTS=\"$CATALINA_OPTS -Dsample.http.port=").append(port).append("\"\n");
        return script.toString();
    }
}

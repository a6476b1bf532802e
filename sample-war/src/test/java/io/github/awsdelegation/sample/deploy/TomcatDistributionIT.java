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
import org.junit.jupiter.api.DisplayName;

/**
 * The sample WAR on the Tomcat 10.1 distribution from Maven Central ({@code org.apache.tomcat:tomcat:zip}), with
 * Weld servlet installed as users install it: {@code weld-servlet-shaded} in Tomcat's {@code lib/}, not in the WAR.
 * The variables go into {@code bin/setenv.sh} as {@code CATALINA_OPTS}, and {@code bin/catalina.sh run} starts it.
 *
 * <p>The distribution stays untouched apart from {@code lib/}: the test runs it with a {@code CATALINA_BASE} of its
 * own (the distribution's {@code conf/}, a minimal {@code server.xml} on 127.0.0.1 without a shutdown port, and
 * {@code webapps/sample-war.war}), fresh for every run.
 */
@DisplayName("The sample WAR on the Tomcat 10.1 distribution with Weld servlet in lib/")
class TomcatDistributionIT extends DeployedSampleContract {

    private static final Path TOMCAT_HOME = Path.of(System.getProperty("deploy.tomcat.home", "target/apache-tomcat")).toAbsolutePath();
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    @Override
    Deployment deploy(Map<String, String> variables, Path work) throws IOException {
        assertThat(TOMCAT_HOME.resolve("bin/catalina.sh")).as("the unpacked Tomcat distribution").isRegularFile();
        try (Stream<Path> lib = Files.list(TOMCAT_HOME.resolve("lib"))) {
            assertThat(lib.map(jar -> jar.getFileName().toString())).as("Tomcat's lib/")
                    .anyMatch(jar -> jar.startsWith("weld-servlet-shaded-"));
        }
        int port = ServerProcess.freePort();
        Path base = work.resolve("tomcat-base");
        copyDirectory(TOMCAT_HOME.resolve("conf"), base.resolve("conf"));
        try (InputStream serverXml = getClass().getResourceAsStream("/deploy/tomcat-server.xml")) {
            Files.copy(serverXml, base.resolve("conf/server.xml"), StandardCopyOption.REPLACE_EXISTING);
        }
        for (String directory : List.of("bin", "logs", "temp", "work", "webapps")) {
            Files.createDirectories(base.resolve(directory));
        }
        Files.writeString(base.resolve("bin/setenv.sh"), setenv(variables, port), StandardCharsets.UTF_8);
        Files.copy(WAR, base.resolve("webapps/" + CONTEXT + ".war"));

        ServerProcess tomcat = ServerProcess.start("Tomcat", List.of("/bin/sh", TOMCAT_HOME.resolve("bin/catalina.sh").toString(), "run"),
                base, Map.of("CATALINA_HOME", TOMCAT_HOME.toString(), "CATALINA_BASE", base.toString(),
                        "JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", "-XX:TieredStopAtLevel=1"),
                work.resolve("tomcat.log"));
        URI app = URI.create("http://127.0.0.1:" + port + "/" + CONTEXT + "/");
        try {
            tomcat.awaitReady("serving " + app, STARTUP_TIMEOUT, () -> homePageAnswers(app, tomcat));
        } catch (RuntimeException | Error e) {
            tomcat.close();
            throw e;
        }
        return new Deployment(tomcat, app);
    }

    /** {@code bin/setenv.sh} as docs/sample.md shows it: each variable a system property in CATALINA_OPTS. */
    private static String setenv(Map<String, String> variables, int port) {
        StringBuilder script = new StringBuilder("# The pet shop sample's configuration: each variable a Java system property.\n");
        variables.forEach((key, value) -> {
            // catalina.sh evaluates CATALINA_OPTS once more: single quotes keep a value as it is.
            assertThat(value).as(key).doesNotContain("'");
            script.append("CATALINA_OPTS=\"$CATALINA_OPTS -D").append(key).append("='").append(value).append("'\"\n");
        });
        script.append("# The test's own: the HTTP port of its conf/server.xml.\n");
        script.append("CATALINA_OPTS=\"$CATALINA_OPTS -Dsample.http.port=").append(port).append("\"\n");
        return script.toString();
    }

    // The connector opens only after the webapps are deployed (bindOnInit="false"): once it answers, the WAR
    // either runs (200) or failed to start (404, with the reason in the log).
    private static boolean homePageAnswers(URI app, ServerProcess tomcat) throws Exception {
        String log = tomcat.logText();
        if (log.contains("startup failed due to previous errors") || log.contains("Error deploying web application archive")) {
            throw new IllegalStateException("the WAR did not start on Tomcat");
        }
        HttpResponse<Void> home;
        try {
            home = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(app).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (ConnectException | HttpTimeoutException notYet) {
            return false;
        }
        if (home.statusCode() != 200) {
            throw new IllegalStateException("Tomcat answers, but " + app + " answered " + home.statusCode());
        }
        return true;
    }
}

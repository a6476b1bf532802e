package io.github.awsdelegation.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The launcher as README's run command starts it, in a child process with the launcher's class path, when its port is
 * taken: the default port gives way to a free one, said in one line; an explicit port fails in one line. Port 8080
 * itself may be in use on a developer's machine, so the test moves the default ({@code -Dsample.defaultPort}) to a
 * port it holds itself.
 */
class SampleLauncherPortIT {

    static final Pattern OPEN = Pattern.compile("Open http://127\\.0\\.0\\.1:(\\d+)/ - sign in as admin@example\\.com / admin-password, "
            + "or Continue with Amazon");

    @Test
    @DisplayName("the default port taken: 'Port P is taken; using N instead', then the sample on N, with progress and what to open")
    void defaultPortTaken_usesTheNextFreePort() throws Exception {
        try (ServerSocket taken = bindLoopback()) {
            int defaultPort = taken.getLocalPort();
            Process launcher = launcher("-D" + SampleLauncher.DEFAULT_PORT_PROPERTY + "=" + defaultPort, "-D" + SampleLauncher.PORT_PROPERTY + "=");
            ByteArrayOutputStream output = drain(launcher.getInputStream());
            try {
                Matcher open = OPEN.matcher("");
                Instant deadline = Instant.now().plusSeconds(240);
                while (launcher.isAlive() && Instant.now().isBefore(deadline) && !(open = OPEN.matcher(text(output))).find()) {
                    Thread.sleep(100);
                }
                assertThat(open.find(0)).as("the launcher printed what to open; it printed:%n%s", text(output)).isTrue();
                int port = Integer.parseInt(open.group(1));
                String printed = text(output);

                assertThat(port).isNotEqualTo(defaultPort);
                assertThat(printed).contains("Port " + defaultPort + " is taken; using " + port + " instead",
                        "Starting the local IdP, STS, S3 and pets API...", "Starting Tomcat with the sample WAR on port " + port + "...",
                        "Pet shop sample running at http://127.0.0.1:" + port + "/");
                assertThat(printed).containsPattern("java -jar \\S+/aws-delegation-cli/target/aws-delegation-cli-all\\.jar login --show --url "
                        + "http://127\\.0\\.0\\.1:" + port + "/ --sts-endpoint http://127\\.0\\.0\\.1:\\d+");
                assertThat(printed.indexOf("Starting the local IdP")).isLessThan(printed.indexOf("Starting Tomcat"));
                assertThat(printed).doesNotContain("BindException").doesNotContain("\tat ");
                HttpResponse<String> home = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(home.statusCode()).isEqualTo(200);
            } finally {
                launcher.destroy();
                if (!launcher.waitFor(60, TimeUnit.SECONDS)) {
                    launcher.destroyForcibly();
                }
            }
        }
    }

    @Test
    @DisplayName("an explicit -Dsample.port that is taken: one line saying so, status 1, no stack trace, nothing started")
    void explicitPortTaken_failsInOneLine() throws Exception {
        try (ServerSocket taken = bindLoopback()) {
            Process launcher = launcher("-D" + SampleLauncher.PORT_PROPERTY + "=" + taken.getLocalPort());
            ByteArrayOutputStream output = drain(launcher.getInputStream());
            boolean ended = launcher.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                launcher.destroyForcibly();
            }
            Thread.sleep(200); // the last bytes of the pipe
            String printed = text(output);

            assertThat(ended).as(printed).isTrue();
            assertThat(launcher.exitValue()).isEqualTo(1);
            assertThat(printed.strip()).isEqualTo("Port " + taken.getLocalPort() + " on 127.0.0.1 is taken: stop what listens there, "
                    + "or run without -Dsample.port to use a free port");
        }
    }

    static ServerSocket bindLoopback() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        return socket;
    }

    /** Starts {@link SampleLauncher#main} as exec:exec does: its class path, the exploded WAR, standard error merged. */
    static Process launcher(String... properties) throws IOException {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-classpath", System.getProperty("java.class.path")));
        command.addAll(List.of(properties));
        command.addAll(List.of(SampleLauncher.class.getName(), "target/sample-war"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        return process;
    }

    static ByteArrayOutputStream drain(InputStream in) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> {
            byte[] chunk = new byte[8192];
            try {
                for (int n; (n = in.read(chunk)) > 0; ) {
                    synchronized (buffer) {
                        buffer.write(chunk, 0, n);
                    }
                }
            } catch (IOException e) {
                // the launcher ended
            }
        }, "launcher-output");
        pump.setDaemon(true);
        pump.start();
        return buffer;
    }

    static String text(ByteArrayOutputStream buffer) {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }
}

package io.github.awsdelegation.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A {@link ClusterNode} JVM started by the test JVM: the sample WAR on its own port of 127.0.0.1, its console output
 * in a log file. Three safeguards stop it: {@link #close()} (the suite's teardown), a shutdown hook of the test JVM,
 * and the node's own watchdog, which halts it when the test JVM's end of its standard input closes (the test JVM
 * killed).
 */
final class NodeProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final String name;
    private final int port;
    private final Path log;
    private final List<String> command;
    private Process process;
    private Thread stopOnExit;

    private NodeProcess(String name, int port, Path log, List<String> command) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.command = command;
    }

    /**
     * Starts a node without waiting for it ({@link #awaitReady()} does): nodes start in parallel.
     *
     * @param port      the node's HTTP port on 127.0.0.1
     * @param document  the filter's configuration document
     * @param variables the WAR's variables, passed as {@code -D} options
     */
    static NodeProcess start(String name, int port, File war, Path document, Map<String, String> variables, Path logDirectory) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        variables.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(nodeClassPath());
        command.add(ClusterNode.class.getName());
        command.add(war.getAbsolutePath());
        command.add(Integer.toString(port));
        command.add(document.toAbsolutePath().toString());
        NodeProcess node = new NodeProcess(name, port, logDirectory.resolve(name + ".log"), command);
        node.launch();
        return node;
    }

    // The test class path without what must reach Tomcat in the WAR only (as the sample launcher's class path).
    private static String nodeClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("aws-delegation-cdi") && !entry.contains("slf4j-jdk14")
                        && !entry.contains("sample-war") && !entry.contains("aws-delegation-filter")
                        && !entry.contains("hazelcast"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private synchronized void launch() {
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        stopOnExit = new Thread(this::stop, name + "-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Waits until the node answers its home page. */
    void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue() + " before it was ready\n" + logTail());
            }
            try {
                HttpResponse<Void> home = http.send(HttpRequest.newBuilder(url()).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (home.statusCode() == 200 && logText().contains(ClusterNode.READY)) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " not ready within " + START_TIMEOUT.toSeconds() + " s\n" + logTail());
            }
            sleep(Duration.ofMillis(300));
        }
    }

    /** The node's base URL, ending in {@code /}. */
    URI url() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Kills the node's JVM at once (SIGKILL), as a crash would: no shutdown hook, no goodbye to the cluster. */
    synchronized void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    String logTail() {
        List<String> lines = logText().lines().toList();
        return "--- last lines of " + log + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook runs or has run.
        }
    }

    private synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.github.awsdelegation.sample.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A server distribution's start script run as a child process for one test class, the way a user runs it from a
 * shell: its console output goes to a log file, readiness is awaited with a deadline, and {@link #close()} stops
 * it together with every process it started (a start script's JVM is its child, not the script itself).
 *
 * <p>Whatever happens to the test JVM, the server stops by itself: the script runs under coreutils'
 * {@code timeout}, which ends the whole process group after {@link #MAX_LIFETIME}, and a shutdown hook stops it
 * when the test JVM exits first.
 *
 * <p>Public for the Keycloak suite ({@code sample.keycloak}), which runs Keycloak's start script the same way.
 */
public final class ServerProcess implements AutoCloseable {

    /** How long a server may live at most, whatever happens to the test JVM: 15 minutes. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(15);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);

    /** Whether the server is ready: {@code true} when it is, {@code false} to keep waiting, an exception to give up. */
    @FunctionalInterface
    public interface Readiness {
        boolean check() throws Exception;
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread stopOnExit;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stopOnExit = new Thread(this::stop, name + "-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts {@code command} in {@code directory} with {@code environment} added to this JVM's, its standard output
     * and error going to {@code log}.
     */
    public static ServerProcess start(String name, List<String> command, Path directory, Map<String, String> environment, Path log) {
        List<String> bounded = new ArrayList<>(List.of("timeout", "--kill-after=10s", MAX_LIFETIME.toSeconds() + "s"));
        bounded.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(bounded).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(log.getParent());
            return new ServerProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + String.join(" ", bounded), e);
        }
    }

    /** Returns a TCP port that is free on 127.0.0.1 now (the server binds it a moment later). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /**
     * Polls {@code readiness} until it says ready.
     *
     * @throws IllegalStateException with the log's tail when the server exits first, the deadline passes, or
     *         readiness gives up
     */
    public void awaitReady(String what, Duration timeout, Readiness readiness) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        while (true) {
            if (!process.isAlive()) {
                throw failure(name + " exited with status " + process.exitValue() + " before " + what, null);
            }
            try {
                if (readiness.check()) {
                    System.out.printf("%s: %s after %.1f s (log: %s)%n", name, what,
                            Duration.between(start, Instant.now()).toMillis() / 1000.0, log);
                    return;
                }
            } catch (Exception e) {
                throw failure(name + ": " + e.getMessage(), e);
            }
            if (Instant.now().isAfter(deadline)) {
                throw failure(name + " not " + what + " within " + timeout.toSeconds() + " s", null);
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("interrupted while waiting for " + name, e);
            }
        }
    }

    /** The file the server's console output goes to. */
    public Path log() {
        return log;
    }

    /** The log's text so far. */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of the log, to print beside a failure. */
    public String logTail(int lines) {
        List<String> all = logText().lines().collect(Collectors.toList());
        return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Stops the server and every process it started: gracefully (SIGTERM) first, then forcibly. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook runs or has run: nothing left to remove.
        }
    }

    private synchronized void stop() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().collect(Collectors.toList()));
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plus(GRACEFUL_STOP);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
            } catch (Exception notStoppedInTime) {
                handle.destroyForcibly();
            }
        }
    }

    private IllegalStateException failure(String message, Exception cause) {
        return new IllegalStateException(message + System.lineSeparator() + "--- last lines of " + log + " ---"
                + System.lineSeparator() + logTail(60), cause);
    }
}

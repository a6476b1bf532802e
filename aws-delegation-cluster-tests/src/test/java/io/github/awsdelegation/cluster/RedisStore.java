package io.github.awsdelegation.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Redis store of the cluster: one {@code redis-server} (Debian's package, listed in .ci/run) on a free port of
 * 127.0.0.1, without persistence, which every node's {@code cache.redis.uri} names. {@link #stop()} and
 * {@link #restart()} make an outage on the same port. The server runs under coreutils' {@code timeout}, so that it
 * stops by itself should the test JVM die without its teardown.
 */
final class RedisStore implements Cluster.Store {

    private final int port = NodeProcess.freePort();
    private final Path log;
    private Process process;
    private Thread stopOnExit;

    RedisStore() {
        this.log = Path.of(System.getProperty("cluster.work", "target/cluster-its"), "redis", "redis-server.log");
        start();
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public List<String> settings(int index, int count) {
        return List.of("uri: redis://127.0.0.1:" + port);
    }

    /** Stops the server (SIGTERM): the nodes lose their store until {@link #restart()}. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
    }

    /** Starts the server again on the same port, empty. */
    void restart() {
        start();
    }

    private synchronized void start() {
        String binary = new File("/usr/bin/redis-server").canExecute() ? "/usr/bin/redis-server" : "redis-server";
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(List.of("timeout", "--kill-after=5s", "900s", binary, "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server cannot be started: install Debian's redis-server", e);
        }
        stopOnExit = new Thread(this::stop, "redis-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                NodeProcess.sleep(Duration.ofMillis(50));
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port + "; see " + log);
    }

    @Override
    public void close() {
        stop();
    }
}

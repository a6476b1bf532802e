package io.github.awsdelegation.redis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real {@code redis-server} (Debian's package {@code redis-server}, listed in .ci/run) on a free port of 127.0.0.1,
 * without persistence; stopped and started again on the same port to simulate an outage.
 */
final class RedisServer implements AutoCloseable {

    private final int port;
    private final Path log;
    private Process process;

    RedisServer() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = socket.getLocalPort();
        }
        this.log = Files.createTempFile("redis-server-", ".log");
        start();
    }

    int port() {
        return port;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    void start() {
        String binary = new File("/usr/bin/redis-server").canExecute() ? "/usr/bin/redis-server" : "redis-server";
        try {
            process = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--protected-mode", "yes"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server cannot be started: install Debian's redis-server (apt-get"
                    + " install redis-server)", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                sleep();
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port + "; see " + log);
    }

    void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}

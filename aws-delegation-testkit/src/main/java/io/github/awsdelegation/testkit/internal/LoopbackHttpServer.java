package io.github.awsdelegation.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JDK {@link HttpServer} bound to 127.0.0.1 only, served by daemon threads, that answers 500 when a
 * handler throws instead of dropping the connection.
 */
public final class LoopbackHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoopbackHttpServer.class);

    static {
        // The JDK server writes headers and body apart; with Nagle's algorithm on, the body then waits for the
        // client's delayed ACK, about 40 ms an answer. Real AWS endpoints have no such delay, so neither do we.
        // (Read once, when the JDK's server configuration class loads; an explicit setting is kept.)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String name;
    private final int port;

    private LoopbackHttpServer(HttpServer server, ExecutorService executor, String name) {
        this.server = server;
        this.executor = executor;
        this.name = name;
        this.port = server.getAddress().getPort();
    }

    /**
     * Starts a server on 127.0.0.1 that passes every request to {@code handler}.
     *
     * @param name a short name for thread names and log lines
     * @param port the port, or 0 for a free one
     * @param handler the handler for every path
     * @return the running server
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static LoopbackHttpServer start(String name, int port, HttpHandler handler) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + ": port must be 0 (free port) or 1-65535, got " + port);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot bind 127.0.0.1:" + port, e);
        }
        ExecutorService executor = Executors.newCachedThreadPool(daemonThreads(name));
        server.setExecutor(executor);
        server.createContext("/", exchange -> handleSafely(name, handler, exchange));
        server.start();
        return new LoopbackHttpServer(server, executor, name);
    }

    private static void handleSafely(String name, HttpHandler handler, HttpExchange exchange) {
        try (exchange) {
            handler.handle(exchange);
        } catch (IOException e) {
            // Mostly a client that gave up (a timeout against a slow answer): nothing to answer any more.
            LOG.debug("{}: {} {} could not be answered: {}", name, exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), e.toString());
        } catch (RuntimeException | Error e) {
            LOG.warn("{}: {} {} failed", name, exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            try {
                HttpExchanges.send(exchange, 500, "text/plain; charset=utf-8", "Internal error in " + name);
            } catch (IOException | RuntimeException ignored) {
                // Headers were already sent; closing the exchange is all that is left.
            }
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Returns the bound port. */
    public int port() {
        return port;
    }

    /** Returns {@code http://127.0.0.1:<port>} followed by {@code path}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** Stops listening at once (new connections are refused) and ends the worker threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        LOG.debug("{} on port {} stopped", name, port());
    }
}

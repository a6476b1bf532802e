package io.github.awsdelegation.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The loopback callback the app's page posts the signed SAML response to: an HTTP server on 127.0.0.1 only (by default
 * on a port the system chooses, RFC 8252 §7.3), advertised as {@code http://127.0.0.1:<port>/saml}, which
 * accepts one {@code POST} with the {@code state} this client chose (compared in constant time) and answers a small
 * page. Anything else is refused; the server stops when closed.
 */
final class LoopbackCallback implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_BODY = 1_000_000;

    private final HttpServer server;
    private final String path;
    private final String state;
    private final CompletableFuture<String> response = new CompletableFuture<>();

    private LoopbackCallback(HttpServer server, String path, String state) {
        this.server = server;
        this.path = path;
        this.state = state;
    }

    /** Starts listening on 127.0.0.1:{@code port} ({@code 0} for any free port) at {@code path}. */
    static LoopbackCallback start(int port, String path) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        HttpServer server;
        try {
            // 127.0.0.1 exactly, the address uri() names (getLoopbackAddress() may be ::1 on an IPv6-preferring JVM).
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 0);
        } catch (IOException e) {
            throw new CliException("cannot listen on 127.0.0.1:" + port + " for the browser's callback (" + e.getMessage()
                    + "); another login may be waiting there, or choose another --port", e);
        }
        LoopbackCallback callback = new LoopbackCallback(server, path, state);
        server.createContext("/", callback::exchange);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "aws-delegation-callback");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return callback;
    }

    /**
     * Returns the callback URL the app posts to, {@code http://127.0.0.1:<port><path>}: the address the server listens
     * on, as an IP literal (RFC 8252 §8.3) — {@code localhost} may resolve to {@code ::1}, where another user could listen.
     */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Returns the random state the app must echo. */
    String state() {
        return state;
    }

    /**
     * Waits for the browser's post and returns the base64-encoded SAML response.
     *
     * @throws CliException when none arrived within {@code timeout}
     */
    String await(Duration timeout) {
        try {
            return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CliException("no sign-in arrived from the browser within " + timeout.toSeconds() + " seconds; run the "
                    + "command again (or raise --timeout), and finish signing in in the browser", e);
        } catch (ExecutionException e) {
            throw new CliException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for the browser", e);
        }
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                page(exchange, 404, "Not found", "This is the aws-delegation command-line client's callback.");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                page(exchange, 405, "Method not allowed", "The app posts the sign-in here; there is nothing to see.");
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                page(exchange, 413, "Too large", "The sign-in response is too large.");
                return;
            }
            Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
            String actual = form.get("state");
            if (actual == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8))) {
                // Not this client's sign-in (a stale tab, or a forgery): keep waiting for the right one.
                page(exchange, 400, "Sign-in refused", "This sign-in does not belong to the waiting command; run it again.");
                return;
            }
            String saml = form.get("SAMLResponse");
            if (saml == null || saml.isBlank()) {
                page(exchange, 400, "Sign-in refused", "The app sent no SAML response.");
                return;
            }
            page(exchange, 200, "Signed in", "The command-line client is signed in. You can close this window.");
            response.complete(saml);
        }
    }

    private static void page(HttpExchange exchange, int status, String title, String text) throws IOException {
        byte[] html = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body><h1>"
                + title + "</h1><p>" + text + "</p></body></html>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html;charset=UTF-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        exchange.sendResponseHeaders(status, html.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(html);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) java.util.Objects.requireNonNull(server.getExecutor())).shutdownNow();
    }

    @Override
    public String toString() {
        return "LoopbackCallback[" + uri() + "]";
    }
}

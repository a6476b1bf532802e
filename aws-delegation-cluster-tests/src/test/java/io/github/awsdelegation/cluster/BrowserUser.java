package io.github.awsdelegation.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser user of the cluster: signs in with the sample's login (the filter's redirect to the local IdP, "Continue
 * with Amazon" as one of its social users, the redirect back to the callback) and then calls the shop with the session
 * cookie. Redirects are followed by hand, so that a test can send the provider's redirect back to another node than the
 * one the login started on (a load balancer without sticky sessions).
 */
final class BrowserUser {

    private static final Pattern TX = Pattern.compile("name=\"tx\" value=\"([^\"]+)\"");

    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final URI node;

    private BrowserUser(URI node) {
        this.node = node;
    }

    /** Signs in on {@code node} as the IdP's social user {@code socialId}, and stays on that node (sticky). */
    static BrowserUser signIn(URI node, String socialId) {
        return signIn(node, node, socialId);
    }

    /**
     * Starts signing in on {@code start}; the provider's redirect back to the callback goes to {@code callback} instead,
     * where the session is then made: the user stays on {@code callback}.
     */
    static BrowserUser signIn(URI start, URI callback, String socialId) {
        BrowserUser user = new BrowserUser(callback);
        HttpResponse<String> login = user.follow(HttpRequest.newBuilder(start.resolve("shop.html")).header("Accept", "text/html"),
                UnaryOperator.identity());
        Matcher tx = TX.matcher(login.body());
        if (!login.uri().getPath().endsWith("/authorize") || !tx.find()) {
            throw new IllegalStateException("expected the IdP's login page, got " + login.statusCode() + " at " + login.uri());
        }
        // From the provider's redirect on, whatever the browser asks of the start node goes to the callback node.
        UnaryOperator<URI> toCallbackNode = uri -> uri.getPort() == start.getPort()
                ? callback.resolve(uri.getRawPath().substring(1) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                : uri;
        HttpResponse<String> shop = user.follow(HttpRequest.newBuilder(login.uri().resolve("/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString("tx=" + enc(tx.group(1)) + "&connection=amazon&social_user=" + enc(socialId))),
                toCallbackNode);
        if (shop.statusCode() != 200 || !shop.uri().getPath().endsWith("/shop.html") || shop.uri().getPort() != callback.getPort()) {
            throw new IllegalStateException("sign-in did not come back to the shop on " + callback + ": " + shop.statusCode() + " at "
                    + shop.uri() + "\n" + shop.body());
        }
        return user;
    }

    /** {@code GET path} on the user's node, as the shop's page does. */
    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(node.resolve(path)).header("Accept", "application/json").build());
    }

    /** Signs out with the shop's POST to {@code logout}, following the provider's redirects back home. */
    HttpResponse<String> signOut() {
        String origin = "http://" + node.getRawAuthority();
        return follow(HttpRequest.newBuilder(node.resolve("logout")).header("Origin", origin).header("Sec-Fetch-Site", "same-origin")
                .header("Accept", "text/html").POST(HttpRequest.BodyPublishers.noBody()), UnaryOperator.identity());
    }

    URI node() {
        return node;
    }

    private HttpResponse<String> follow(HttpRequest.Builder first, UnaryOperator<URI> rewrite) {
        HttpResponse<String> response = send(first.timeout(Duration.ofSeconds(30)).build());
        for (int hops = 0; hops < 10 && response.statusCode() / 100 == 3; hops++) {
            URI location = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
            URI next = rewrite.apply(location);
            HttpRequest.Builder request = HttpRequest.newBuilder(next).header("Accept", "text/html").timeout(Duration.ofSeconds(30));
            if (!next.equals(location)) {
                // As a load balancer forwards it: to another node, with the Host the browser asked for (the public one,
                // from which the node derives the redirect URI the provider checks). The JVM allows the header with
                // -Djdk.httpclient.allowRestrictedHeaders=host (the suite's Failsafe configuration).
                request.header("Host", location.getRawAuthority());
            }
            response = send(request.build());
        }
        return response;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return browser.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

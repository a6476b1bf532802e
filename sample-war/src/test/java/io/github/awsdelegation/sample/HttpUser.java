package io.github.awsdelegation.sample;

import io.github.awsdelegation.testkit.Demo;
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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A demo user of the running sample, signed in the way a browser is (the filter's redirect to the local IdP,
 * its login form, the redirect back), then calling the sample's pages and JSON API with the session cookie.
 */
public final class HttpUser {

    private static final Pattern TX = Pattern.compile("name=\"tx\" value=\"([^\"]+)\"");

    private final HttpClient browser;
    private final URI app;

    private HttpUser(HttpClient browser, URI app) {
        this.browser = browser;
        this.app = app;
    }

    /** Signs in as the database user (admin role). {@code app} is the sample's base URL, ending in {@code /}. */
    public static HttpUser admin(URI app) {
        return signIn(app, "username=" + enc(Demo.ADMIN_USERNAME) + "&password=" + enc(Demo.ADMIN_PASSWORD)
                + "&connection=Username-Password-Authentication");
    }

    /** Signs in as the social user, "Continue with Amazon" (buyer role). */
    public static HttpUser buyer(URI app) {
        return signIn(app, "connection=amazon&social_user=" + enc(Demo.BUYER_AMAZON_ID));
    }

    private static HttpUser signIn(URI app, String form) {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();
        HttpUser user = new HttpUser(browser, app);
        HttpResponse<String> login = user.exchange(HttpRequest.newBuilder(app.resolve("shop.html")).header("Accept", "text/html"));
        Matcher tx = TX.matcher(login.body());
        if (!login.uri().getPath().endsWith("/authorize") || !tx.find()) {
            throw new IllegalStateException("expected the IdP's login page, got " + login.statusCode() + " at " + login.uri());
        }
        HttpResponse<String> shop = user.exchange(HttpRequest.newBuilder(login.uri().resolve("/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString("tx=" + enc(tx.group(1)) + "&" + form)));
        if (shop.statusCode() != 200 || !shop.uri().getPath().endsWith("/shop.html")) {
            throw new IllegalStateException("sign-in did not come back to the shop: " + shop.statusCode() + " at " + shop.uri());
        }
        return user;
    }

    /** {@code GET path} (relative to the app), as the JSON API's client. */
    public HttpResponse<String> get(String path) {
        return exchange(HttpRequest.newBuilder(app.resolve(path)).header("Accept", "application/json"));
    }

    /** Sends {@code method path} with a body of the given content type (no body when {@code body} is null). */
    public HttpResponse<String> send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.resolve(path)).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return exchange(request);
    }

    /** Sends a request built by the caller, with this user's session. */
    public HttpResponse<String> exchange(HttpRequest.Builder request) {
        return exchange(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a request built by the caller, with this user's session, reading the body with {@code body} (e.g. bytes). */
    public <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
            if (!List.of("GET", "HEAD", "OPTIONS").contains(built.method()) && built.headers().firstValue("Origin").isEmpty()
                    && built.uri().toString().startsWith(app.toString())) {
                // As the shop's page: its fetch() says where it comes from, which the filter's cross-site check reads.
                String origin = app.getScheme() + "://" + app.getRawAuthority();
                built = HttpRequest.newBuilder(built, (name, value) -> true).header("Origin", origin)
                        .header("Sec-Fetch-Site", "same-origin").build();
            }
            return browser.send(built, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The app's base URL. */
    public URI app() {
        return app;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

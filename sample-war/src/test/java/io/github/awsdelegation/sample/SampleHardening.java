package io.github.awsdelegation.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The sample's HTTP hardening, checked the same way on every server it runs on (embedded Tomcat, the Tomcat
 * distribution, WildFly): path confusion around the public {@code /static/*}, ID tokens up to the filter's limit,
 * the containers' own error pages, the session cookie's attributes, framing, and a forged cross-site form post.
 */
public final class SampleHardening {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    private SampleHardening() {
    }

    /** An answer read off the wire. */
    public record Raw(int status, String head, String body) {
    }

    /** Sends {@code GET} with the path exactly as written ({@code curl --path-as-is}). */
    public static Raw rawGet(URI app, String pathFromContext, String... headerLines) {
        try (Socket socket = new Socket(app.getHost(), app.getPort())) {
            socket.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder("GET ").append(app.getRawPath()).append(pathFromContext)
                    .append(" HTTP/1.1\r\nHost: ").append(app.getHost()).append(':').append(app.getPort())
                    .append("\r\nConnection: close\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            String head = end < 0 ? answer : answer.substring(0, end);
            return new Raw(Integer.parseInt(head.substring(9, 12)), head, end < 0 ? "" : answer.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** README's public prefix: no spelling of a climb out of {@code /static/} reaches the API without a token. */
    public static void publicPrefix_climbingOut_neverReachesTheApi(URI app) {
        assertThat(rawGet(app, "static/style.css").status()).as("the public prefix serves").isEqualTo(200);
        for (String attack : List.of("static/../api/me", "static/..;/api/me", "static/%2e%2e/api/me", "static/.%2e/api/me",
                "static/%2E%2E/api/pets", "static/..%2fapi/me", "static/./../api/pets")) {
            Raw answer = rawGet(app, attack, "Accept: application/json");
            assertThat(answer.status()).as(attack).isBetween(400, 404);
            assertThat(answer.body()).as(attack).doesNotContain("\"subject\"").doesNotContain("\"pets\"")
                    .doesNotContain("Exception");
        }
    }

    /**
     * A real ID token of 15,000 characters (between Tomcat's old 8 KB and the filter's 20,000) gets through; one of
     * 25,000 reaches the filter, which refuses it with its own reason.
     */
    public static void largeToken_reachesTheApp(URI app, LocalIdentityProvider idp) throws Exception {
        String token = idp.newIdToken().subject(LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME))
                .claim("https://pet-shop.example/padding", "p".repeat(11_000)).sign();
        assertThat(token.length()).isBetween(14_000, 19_000);

        HttpResponse<String> me = CLIENT.send(HttpRequest.newBuilder(app.resolve("api/me")).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("pet-shop-admin");

        // Over the filter's limit but within the container's: the filter itself answers, with its reason.
        HttpResponse<String> tooLong = CLIENT.send(HttpRequest.newBuilder(app.resolve("api/me")).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token + "." + "x".repeat(25_000 - token.length())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tooLong.statusCode()).isEqualTo(401);
        assertThat(tooLong.body()).contains("invalid_token").contains("longer than 20000 characters");
    }

    /** Headers beyond the container's limit get a short 4xx: no stack trace, no server version. */
    public static void oversizedHeader_shortAnswer(URI app) {
        Raw answer = rawGet(app, "api/me", "Accept: text/html", "Authorization: Bearer " + "x".repeat(40_000));

        assertThat(answer.status()).isBetween(400, 431);
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("Apache Tomcat/")
                .doesNotContain("WildFly").doesNotContain("Undertow");
        assertThat(answer.head()).doesNotContainPattern("(?im)^Server: .*\\d");
    }

    /**
     * Signs the admin in as a browser does and returns every {@code Set-Cookie} the app sent on the way (the redirect
     * chain's too): the session cookie is set when the sign-in completes.
     */
    public static List<String> cookiesOfSignIn(URI app) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> loginPage = browser.send(HttpRequest.newBuilder(app.resolve("shop.html")).header("Accept", "text/html")
                .build(), HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher tx = java.util.regex.Pattern.compile("name=\"tx\" value=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(tx.find()).as("the IdP's login page").isTrue();
        HttpResponse<String> shop = browser.send(HttpRequest.newBuilder(loginPage.uri().resolve("/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString("tx=" + java.net.URLEncoder.encode(tx.group(1), StandardCharsets.UTF_8)
                        + "&connection=Username-Password-Authentication&username="
                        + java.net.URLEncoder.encode(Demo.ADMIN_USERNAME, StandardCharsets.UTF_8) + "&password="
                        + java.net.URLEncoder.encode(Demo.ADMIN_PASSWORD, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        // No check of where it lands: a Secure cookie is not sent back over the test's plain http, so the shop may ask
        // to sign in again; the callback's answer in the chain holds the cookie either way.
        List<String> cookies = new java.util.ArrayList<>();
        for (HttpResponse<?> r : List.of(loginPage, shop)) {
            for (java.util.Optional<? extends HttpResponse<?>> hop = java.util.Optional.of(r); hop.isPresent();
                    hop = hop.get().previousResponse()) {
                if (hop.get().uri().toString().startsWith(app.toString())) {
                    cookies.addAll(hop.get().headers().allValues("Set-Cookie"));
                }
            }
        }
        return cookies;
    }

    /** The session cookie set at sign-in: HttpOnly and SameSite=Lax, Secure exactly when {@code secure}. */
    public static void assertSessionCookie(List<String> cookies, boolean secure) {
        assertThat(cookies).as("the signed-in session's cookie").anySatisfy(cookie -> {
            assertThat(cookie).startsWith("JSESSIONID=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");
            if (secure) {
                assertThat(cookie).containsIgnoringCase("; Secure");
            } else {
                assertThat(cookie).as("plain http without an https public URL: not Secure, or the browser would drop it")
                        .doesNotContainIgnoringCase("; Secure");
            }
        });
    }

    /** The session cookie: HttpOnly and SameSite=Lax; the pages: not frameable. */
    public static void sessionCookieAndFraming(URI app) throws Exception {
        assertSessionCookie(cookiesOfSignIn(app), false);

        HttpResponse<String> home = CLIENT.send(HttpRequest.newBuilder(app).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(home.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("frame-ancestors 'none'"));
        assertThat(home.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    /** A form another site auto-submits with the signed-in user's cookie is refused before the shop acts. */
    public static void forgedFormPost_refused(HttpUser signedIn) {
        for (Map.Entry<String, String> form : Map.of(
                "application/x-www-form-urlencoded", "name=Rex&type=dog&price=1",
                "text/plain", "{\"name\":\"Rex\",\"type\":\"dog\",\"price\":1,\"x\":\"=\"}").entrySet()) {
            HttpResponse<String> forged = signedIn.exchange(HttpRequest.newBuilder(signedIn.app().resolve("api/pets?aws_role=pet-shop-admin"))
                    .header("Content-Type", form.getKey()).header("Origin", "https://evil.example")
                    .header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.ofString(form.getValue())));
            assertThat(forged.statusCode()).as(form.getKey()).isEqualTo(403);
            assertThat(forged.body()).contains("cross_site_request");
        }
        HttpResponse<String> purchase = signedIn.exchange(HttpRequest.newBuilder(signedIn.app().resolve("api/pets/1/purchase"))
                .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(purchase.statusCode()).as("a purchase needs no body, and is refused all the same").isEqualTo(403);
    }
}

package io.github.awsdelegation.it.saml;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP for the SAML integration tests: API calls, and a browser that keeps cookies. Nothing follows redirects silently. */
final class SamlHttp {

    private static final HttpClient API = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY).build();

    private SamlHttp() {
    }

    static HttpResponse<String> get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET();
        headers.forEach(request::header);
        return send(API, request.build());
    }

    static HttpResponse<String> post(URI uri, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(API, request.build());
    }

    static HttpResponse<String> options(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return send(API, request.build());
    }

    static String form(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((k, v) -> out.append(out.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return out.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Returns the value of a hidden (or any) input of a page, HTML entities of attribute values decoded. */
    static String input(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no input '" + name + "' in:\n" + html);
        }
        return unescape(m.group(1));
    }

    /** Returns the action of a page's first form. */
    static String formAction(String html) {
        Matcher m = Pattern.compile("<form[^>]* action=\"([^\"]*)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no form in:\n" + html);
        }
        return unescape(m.group(1));
    }

    static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A browser: cookies, Accept: text/html, redirects followed on request only. */
    static final class Browser {

        private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> get(URI uri) {
            return send(client, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Accept", "text/html")
                    .header("Sec-Fetch-Mode", "navigate").GET().build());
        }

        HttpResponse<String> postForm(URI uri, String form, Map<String, String> headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Accept", "text/html")
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
            headers.forEach(request::header);
            return send(client, request.build());
        }

        /** Follows redirects (GET) from a response until a page answers. */
        HttpResponse<String> follow(HttpResponse<String> response) {
            HttpResponse<String> current = response;
            for (int i = 0; i < 10 && current.statusCode() / 100 == 3; i++) {
                URI next = current.uri().resolve(current.headers().firstValue("Location").orElseThrow());
                current = get(next);
            }
            return current;
        }

        /**
         * Opens {@code page}, is sent to the testkit IdP's login page, signs in with the form fields, and follows the
         * redirects back to the app; returns the app's answer.
         */
        HttpResponse<String> signIn(URI page, String loginForm) {
            HttpResponse<String> login = follow(get(page));
            Matcher tx = Pattern.compile("name=\"tx\" value=\"([^\"]+)\"").matcher(login.body());
            if (!tx.find()) {
                throw new AssertionError("expected the IdP's login page, got " + login.statusCode() + " at " + login.uri());
            }
            return follow(postForm(login.uri().resolve("/authorize"), "tx=" + enc(tx.group(1)) + "&" + loginForm, Map.of()));
        }
    }
}

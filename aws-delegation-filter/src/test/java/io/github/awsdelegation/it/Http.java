package io.github.awsdelegation.it;

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

/**
 * The integration tests' one HTTP client: API calls (bearer token, form posts, preflights) that never follow a
 * redirect, a raw request for paths no client would send, page scraping (inputs, form actions, query strings), and
 * two browsers with cookies: {@link Browser} follows redirects, {@link StepBrowser} follows them only when asked.
 */
public final class Http {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient API = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY).build();
    private static final Pattern LOGIN_TRANSACTION = Pattern.compile("name=\"tx\" value=\"([^\"]+)\"");

    private Http() {
    }

    public static HttpResponse<String> get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        headers.forEach(request::header);
        return send(API, request.build());
    }

    public static HttpResponse<String> post(URI uri, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(API, request.build());
    }

    public static HttpResponse<String> options(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return send(API, request.build());
    }

    /** Encodes fields as {@code application/x-www-form-urlencoded}. */
    public static String form(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((k, v) -> out.append(out.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return out.toString();
    }

    /** Returns the value of a hidden (or any) input of a page, HTML entities of attribute values decoded. */
    public static String input(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no input '" + name + "' in:\n" + html);
        }
        return unescape(m.group(1));
    }

    /** Returns the action of a page's first form. */
    public static String formAction(String html) {
        Matcher m = Pattern.compile("<form[^>]* action=\"([^\"]*)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no form in:\n" + html);
        }
        return unescape(m.group(1));
    }

    public static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** Returns a URI's query parameters, decoded, in order. */
    public static Map<String, String> query(URI uri) {
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

    /** An answer read off the wire: status and body. */
    public record RawResponse(int status, String head, String body) {
    }

    /**
     * Sends {@code GET target} exactly as written (no client normalises it, as {@code curl --path-as-is} does),
     * with the extra header lines, and reads the whole answer.
     */
    public static RawResponse rawGet(java.net.URL base, String target, String... headerLines) {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: ")
                    .append(base.getHost()).append(':').append(base.getPort()).append("\r\nConnection: close\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            String head = end < 0 ? answer : answer.substring(0, end);
            String body = end < 0 ? "" : answer.substring(end + 4);
            return new RawResponse(Integer.parseInt(head.substring(9, 12)), head, body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static HttpResponse<String> bearer(URI uri, String token) {
        return get(uri, Map.of("Authorization", "Bearer " + token));
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Parses the echo servlet's tab-separated fields. */
    public static Map<String, String> fields(String body) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String field : body.split("\t")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                out.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        return out;
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

    // The testkit IdP's login page carries its transaction in a hidden input; the form posts to /authorize.
    private static String loginForm(HttpResponse<String> loginPage, String fields) {
        Matcher tx = LOGIN_TRANSACTION.matcher(loginPage.body());
        if (!tx.find()) {
            throw new AssertionError("expected the IdP's login page at " + loginPage.uri() + ", got " + loginPage.statusCode());
        }
        return "tx=" + enc(tx.group(1)) + "&" + fields;
    }

    /** A browser: keeps cookies and follows redirects, sends Accept: text/html. */
    public static final class Browser {

        private final CookieManager cookies = new CookieManager();
        private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();
        // The same cookie jar, for looking at one answer (a redirect) instead of where it leads.
        private final HttpClient single = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

        /** A page's script calling the API: fetch() with the session cookie, Accept: application/json, no redirects. */
        HttpResponse<String> fetch(URI uri) {
            return Http.send(single, HttpRequest.newBuilder(uri).header("Accept", "application/json")
                    .header("Sec-Fetch-Mode", "cors").header("Sec-Fetch-Site", "same-origin").GET().build());
        }

        /** A navigation whose first answer is returned, not followed. */
        HttpResponse<String> navigate(URI uri) {
            return Http.send(single, HttpRequest.newBuilder(uri).header("Accept", "text/html")
                    .header("Sec-Fetch-Mode", "navigate").GET().build());
        }

        /** A POST with the given headers (e.g. Origin, Sec-Fetch-Site) whose first answer is returned, not followed. */
        HttpResponse<String> post(URI uri, Map<String, String> headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/html")
                    .POST(HttpRequest.BodyPublishers.noBody());
            headers.forEach(request::header);
            return Http.send(single, request.build());
        }

        HttpResponse<String> get(URI uri) {
            return send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build());
        }

        HttpResponse<String> postForm(URI uri, String form) {
            return send(HttpRequest.newBuilder(uri).header("Accept", "text/html")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        }

        /** Opens a protected page, signs in on the testkit IdP's login page with the form fields, lands back. */
        HttpResponse<String> signIn(URI protectedPage, String form) {
            HttpResponse<String> loginPage = get(protectedPage);
            return postForm(loginPage.uri().resolve("/authorize"), loginForm(loginPage, form));
        }

        /** Sends any request with the browser's cookies, e.g. one a page elsewhere made it send. */
        HttpResponse<String> send(HttpRequest request) {
            return Http.send(client, request);
        }
    }

    /** A browser whose redirects are followed only on request ({@link #follow}): cookies, Accept: text/html. */
    public static final class StepBrowser {

        private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(Duration.ofSeconds(5)).build();

        public HttpResponse<String> get(URI uri) {
            return send(client, HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "text/html")
                    .header("Sec-Fetch-Mode", "navigate").GET().build());
        }

        public HttpResponse<String> postForm(URI uri, String form, Map<String, String> headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "text/html")
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
            headers.forEach(request::header);
            return send(client, request.build());
        }

        /** Follows redirects (GET) from a response until a page answers. */
        public HttpResponse<String> follow(HttpResponse<String> response) {
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
        public HttpResponse<String> signIn(URI page, String loginForm) {
            HttpResponse<String> login = follow(get(page));
            return follow(postForm(login.uri().resolve("/authorize"), loginForm(login, loginForm), Map.of()));
        }
    }
}

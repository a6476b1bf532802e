package io.github.awsdelegation.it;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small HTTP client for the integration tests: API calls with a bearer token, and a browser with cookies. */
final class Http {

    private static final HttpClient API = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private Http() {
    }

    static HttpResponse<String> get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        headers.forEach(request::header);
        try {
            return API.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer read off the wire: status and body. */
    record RawResponse(int status, String head, String body) {
    }

    /**
     * Sends {@code GET target} exactly as written (no client normalises it, as {@code curl --path-as-is} does),
     * with the extra header lines, and reads the whole answer.
     */
    static RawResponse rawGet(java.net.URL base, String target, String... headerLines) {
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

    static HttpResponse<String> bearer(URI uri, String token) {
        return get(uri, Map.of("Authorization", "Bearer " + token));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Parses the echo servlet's tab-separated fields. */
    static Map<String, String> fields(String body) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String field : body.split("\t")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                out.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        return out;
    }

    /** A browser: keeps cookies and follows redirects, sends Accept: text/html. */
    static final class Browser {

        private final CookieManager cookies = new CookieManager();
        private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();
        // The same cookie jar, for looking at one answer (a redirect) instead of where it leads.
        private final HttpClient single = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

        /** A page's script calling the API: fetch() with the session cookie, Accept: application/json, no redirects. */
        HttpResponse<String> fetch(URI uri) {
            return send(single, HttpRequest.newBuilder(uri).header("Accept", "application/json")
                    .header("Sec-Fetch-Mode", "cors").header("Sec-Fetch-Site", "same-origin").GET().build());
        }

        /** A navigation whose first answer is returned, not followed. */
        HttpResponse<String> navigate(URI uri) {
            return send(single, HttpRequest.newBuilder(uri).header("Accept", "text/html")
                    .header("Sec-Fetch-Mode", "navigate").GET().build());
        }

        /** A POST with the given headers (e.g. Origin, Sec-Fetch-Site) whose first answer is returned, not followed. */
        HttpResponse<String> post(URI uri, Map<String, String> headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/html")
                    .POST(HttpRequest.BodyPublishers.noBody());
            headers.forEach(request::header);
            return send(single, request.build());
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
            Matcher tx = Pattern.compile("name=\"tx\" value=\"([^\"]+)\"").matcher(loginPage.body());
            if (!tx.find()) {
                throw new AssertionError("expected the IdP's login page at " + loginPage.uri() + ", got " + loginPage.statusCode());
            }
            return postForm(loginPage.uri().resolve("/authorize"), "tx=" + enc(tx.group(1)) + "&" + form);
        }

        /** Sends any request with the browser's cookies, e.g. one a page elsewhere made it send. */
        HttpResponse<String> send(HttpRequest request) {
            return send(client, request);
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
    }
}

package io.github.awsdelegation.cli;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
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
 * A browser for the tests: a cookie jar, redirects followed on request, and what a browser does with an auto-submitting
 * form (posting its hidden inputs to its action).
 */
final class Browser {

    static final String SOCIAL_LOGIN = "connection=amazon&social_user=amzn1.account.DEMO";

    private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Accept", "text/html").GET().build());
    }

    HttpResponse<String> postForm(URI uri, String form) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    HttpResponse<String> follow(HttpResponse<String> response) {
        HttpResponse<String> current = response;
        for (int i = 0; i < 10 && current.statusCode() / 100 == 3; i++) {
            current = get(current.uri().resolve(current.headers().firstValue("Location").orElseThrow()));
        }
        return current;
    }

    /** Opens {@code page}; when the IdP's login page answers, signs in there and follows the redirects back. */
    HttpResponse<String> open(URI page) {
        HttpResponse<String> answer = follow(get(page));
        Matcher tx = Pattern.compile("name=\"tx\" value=\"([^\"]+)\"").matcher(answer.body());
        if (!tx.find()) {
            return answer;
        }
        return follow(postForm(answer.uri().resolve("/authorize"), "tx=" + enc(tx.group(1)) + "&" + SOCIAL_LOGIN));
    }

    /** Submits a page's first form, as its script does: its hidden inputs posted to its action. */
    HttpResponse<String> submit(HttpResponse<String> page) {
        Matcher action = Pattern.compile("<form[^>]* action=\"([^\"]*)\"").matcher(page.body());
        if (!action.find()) {
            throw new AssertionError("no form in " + page.statusCode() + ":\n" + page.body());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">").matcher(page.body());
        while (input.find()) {
            fields.put(unescape(input.group(1)), unescape(input.group(2)));
        }
        StringBuilder form = new StringBuilder();
        fields.forEach((k, v) -> form.append(form.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return postForm(page.uri().resolve(unescape(action.group(1))), form.toString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    HttpResponse<String> send(HttpRequest request) {
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

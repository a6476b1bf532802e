package io.github.awsdelegation.servlet;

import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.scope.ScopeRejectedException;
import io.github.awsdelegation.sts.CredentialsUnavailableException;
import io.github.awsdelegation.token.IssuerUnavailableException;
import io.github.awsdelegation.token.TokenRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the module's error answers: 401, 403 and 503 with a reason a developer can act on, as JSON for
 * API clients (a page's {@code fetch}, {@code Accept: application/json}, a bearer token) and as a readable HTML page
 * for a browser navigation: the reason, a link to try again and, when the built-in login is on, a sign-out button
 * (a POST form to the logout path). Never a stack trace; every value on the page is HTML-escaped (a reason may
 * quote user data); the reason comes from a {@link DelegationException} message, which by contract holds no secret.
 */
final class ErrorResponses {

    /**
     * The request attribute the filter sets to the sign-out form's action (context path and logout path) when the
     * built-in login is on; error pages offer the sign-out button only then.
     */
    static final String SIGN_OUT_ACTION_ATTRIBUTE = ErrorResponses.class.getName() + ".signOutAction";

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    /** Answers the exception with the status its meaning calls for. */
    static void send(HttpServletRequest request, HttpServletResponse response, DelegationException e) throws IOException {
        if (e instanceof TokenRejectedException) {
            unauthorized(request, response, "invalid_token", e.getMessage());
        } else if (e instanceof RoleDeniedException || e instanceof ScopeRejectedException) {
            write(request, response, HttpServletResponse.SC_FORBIDDEN, "access_denied", e.getMessage());
        } else if (e instanceof CredentialsUnavailableException unavailable) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, unavailable.retryAfter().toSeconds())));
            write(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "temporarily_unavailable", e.getMessage());
        } else if (e instanceof IssuerUnavailableException) {
            response.setHeader("Retry-After", "5");
            write(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "temporarily_unavailable", e.getMessage());
        } else {
            // The answer sends the operator here: the log line must exist.
            LOG.error("AWS delegation failed for {}: {}", LogSafe.of(request.getRequestURI()), LogSafe.of(e.getMessage()), e);
            write(request, response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "server_error",
                    "the AWS delegation is misconfigured; the server log says how to fix it");
        }
    }

    /** Answers 401 with a {@code WWW-Authenticate: Bearer} challenge (RFC 6750 §3). */
    static void unauthorized(HttpServletRequest request, HttpServletResponse response, String error, String description)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer error=\"" + error + "\", error_description=\""
                + headerSafe(description) + "\"");
        write(request, response, HttpServletResponse.SC_UNAUTHORIZED, error, description);
    }

    static void write(HttpServletRequest request, HttpServletResponse response, int status, String error, String message)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (isNavigation(request)) {
            String nonce = BrowserPages.random();
            response.setHeader("Pragma", "no-cache");
            response.setHeader("X-Frame-Options", "DENY");
            response.setHeader("Referrer-Policy", "no-referrer");
            // No form-action: the sign-out POST is followed by a redirect to the provider's end-session endpoint.
            response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'nonce-" + nonce
                    + "'; frame-ancestors 'none'; base-uri 'none'");
            response.setContentType("text/html;charset=UTF-8");
            response.getWriter().write(page(request, response, status, error, message, nonce));
        } else {
            response.setContentType("application/json;charset=UTF-8");
            response.getWriter().write("{\"status\":" + status + ",\"error\":\"" + json(error) + "\",\"message\":\""
                    + json(message) + "\"}");
        }
    }

    /**
     * Tells whether the request is a browser navigation (the address bar, a link, a form), which gets a page, rather
     * than an API client, which gets JSON: by {@code Sec-Fetch-Mode: navigate} when the browser sends the header (a
     * page's {@code fetch} sends {@code cors} or {@code same-origin}); else never with a bearer token (an API client),
     * and otherwise by {@code Accept: text/html}.
     */
    static boolean isNavigation(HttpServletRequest request) {
        String mode = request.getHeader("Sec-Fetch-Mode");
        if (mode != null) {
            return mode.equals("navigate");
        }
        if (request.getHeader("Authorization") != null) {
            return false;
        }
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }

    private static String page(HttpServletRequest request, HttpServletResponse response, int status, String error,
                               String message, String nonce) {
        String title = switch (status) {
            case HttpServletResponse.SC_UNAUTHORIZED -> "You are not signed in";
            case HttpServletResponse.SC_FORBIDDEN -> "Not allowed";
            case HttpServletResponse.SC_SERVICE_UNAVAILABLE -> "AWS credentials are unavailable right now";
            case HttpServletResponse.SC_BAD_REQUEST -> "This request cannot be served";
            default -> "Something went wrong";
        };
        String retryAfter = response.getHeader("Retry-After");
        String home = request.getContextPath() + "/";
        // Trying again means the same navigation: the address asked for, when it was a GET; else the app's home.
        String again = "GET".equals(request.getMethod())
                ? request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString())
                : home;
        if (!again.startsWith("/") || again.startsWith("//") || again.startsWith("/\\")) {
            again = home; // "//host/..." would be a link to another site
        }
        StringBuilder page = new StringBuilder(1024)
                .append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(status).append(' ').append(html(title)).append("</title>")
                .append("<style nonce=\"").append(nonce).append("\">")
                .append("body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}")
                .append("main{max-width:42rem;margin:3rem auto;background:#fff;padding:2rem 2.5rem;border-radius:12px;")
                .append("box-shadow:0 2px 12px rgba(0,0,0,.08)}h1{margin-top:0;font-size:1.4rem}")
                .append(".reason{overflow-wrap:anywhere;background:#fdecea;color:#611a15;padding:.8rem 1rem;border-radius:8px}")
                .append(".actions{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}form{margin:0}")
                .append("a.button,button{display:inline-block;background:#ff9900;color:#1d2330;border:0;padding:.5rem 1rem;")
                .append("border-radius:6px;text-decoration:none;font-weight:600;cursor:pointer;font-size:.9rem;font-family:inherit}")
                .append("button.secondary,a.secondary{background:#e4e7ec}code{color:#5f6b7a}</style></head><body>")
                .append("<main class=\"error-page\" data-status=\"").append(status).append("\">")
                .append("<h1>").append(html(title)).append("</h1>")
                .append("<p class=\"reason\" id=\"reason\">").append(html(message)).append("</p>")
                .append("<p><code>").append(status).append(' ').append(html(error)).append("</code>");
        if (retryAfter != null) {
            page.append(" — this usually passes: try again in ").append(html(retryAfter)).append(" s.");
        }
        page.append("</p><div class=\"actions\"><a class=\"button\" id=\"retry\" href=\"").append(html(again))
                .append("\">Try again</a>");
        if (!again.equals(home)) {
            page.append("<a class=\"button secondary\" id=\"home\" href=\"").append(html(home)).append("\">Home</a>");
        }
        if (request.getAttribute(SIGN_OUT_ACTION_ATTRIBUTE) instanceof String signOut) {
            page.append("<form method=\"post\" action=\"").append(html(signOut)).append("\" id=\"sign-out-form\">")
                    .append("<button type=\"submit\" class=\"secondary\" id=\"sign-out\">Sign out</button></form>");
        }
        return page.append("</div></main></body></html>").toString();
    }

    static String html(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String json(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    // RFC 6750 §3: error_description uses %x20-21 / %x23-5B / %x5D-7E only.
    private static String headerSafe(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c >= 0x20 && c <= 0x7E && c != '"' && c != '\\' ? c : '?');
        }
        return out.length() > 300 ? out.substring(0, 300) : out.toString();
    }
}

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
 * API clients and as a small HTML page for browsers. Never a stack trace; the reason comes from a
 * {@link DelegationException} message, which by contract holds no secret.
 */
final class ErrorResponses {

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
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("text/html")) {
            response.setContentType("text/html;charset=UTF-8");
            response.getWriter().write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + status
                    + " " + html(error) + "</title></head><body><h1>" + status + " " + html(error) + "</h1><p>"
                    + html(message) + "</p></body></html>");
        } else {
            response.setContentType("application/json;charset=UTF-8");
            response.getWriter().write("{\"status\":" + status + ",\"error\":\"" + json(error) + "\",\"message\":\""
                    + json(message) + "\"}");
        }
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

package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.internal.LogSafe;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where an outcome that is not the app's becomes an HTTP answer: the status, {@code WWW-Authenticate}
 * for a 401 (RFC 6750 §3), {@code Retry-After} from the problem (for a 503, the exception's own), headers that keep
 * the answer out of caches and sniffers, and a body in the endpoint's {@link ProblemFormat}. The reason comes from a
 * {@link DelegationException} message, which by contract holds no secret, or from the endpoint's own text.
 */
public final class Answers {

    /**
     * The servlet context attribute the filter sets at start-up to the logout path (context-relative,
     * {@code login.logoutPath}) when the built-in login is on, and removes when it is destroyed; error pages offer the
     * sign-out button only then, posting to the context path and it. Set once rather than on every request: the
     * context path, which the container works out from the raw URI, is asked only for an error page.
     */
    public static final String SIGN_OUT_ACTION_ATTRIBUTE = Answers.class.getName() + ".signOutAction";

    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);

    private Answers() {
    }

    /** Answers the exception with the status its meaning calls for, as a page or JSON. */
    public static void send(HttpServletRequest request, HttpServletResponse response, DelegationException e)
            throws IOException {
        send(request, response, e, ProblemFormat.NEGOTIATED);
    }

    /** Answers the exception with the status its meaning calls for, in the given format. */
    public static void send(HttpServletRequest request, HttpServletResponse response, DelegationException e,
            ProblemFormat format) throws IOException {
        Problem problem = Problem.of(e);
        if (problem.status() == HttpServletResponse.SC_INTERNAL_SERVER_ERROR) {
            // The answer sends the operator here: the log line must exist.
            LOG.error("AWS delegation failed for {}: {}", LogSafe.of(request.getRequestURI()), LogSafe.of(e.getMessage()), e);
        }
        send(request, response, problem, format);
    }

    /** Answers the problem as a page for a browser navigation, JSON otherwise. */
    public static void send(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
        send(request, response, problem, ProblemFormat.NEGOTIATED);
    }

    /** Answers the problem in the given format; nothing when the response is committed already. */
    public static void send(HttpServletRequest request, HttpServletResponse response, Problem problem, ProblemFormat format)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.status());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (problem.challenge()) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"" + problem.error() + "\", error_description=\""
                    + Text.headerSafe(problem.message()) + "\"");
        }
        if (problem.retryAfter() != null) {
            response.setHeader("Retry-After", problem.retryAfterSeconds());
        }
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        format.write(request, response, problem);
    }

    /**
     * Tells whether the request is a browser navigation (the address bar, a link, a form), which gets a page, rather
     * than an API client, which gets JSON: by {@code Sec-Fetch-Mode: navigate} when the browser sends the header (a
     * page's {@code fetch} sends {@code cors} or {@code same-origin}); else never with a bearer token (an API client),
     * and otherwise by {@code Accept: text/html}.
     */
    public static boolean isNavigation(HttpServletRequest request) {
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

    /** A GET the browser navigates (not a script, not a bearer client): one that can be sent to the sign-in and back. */
    public static boolean isBrowserNavigation(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) && request.getHeader("Authorization") == null && isNavigation(request);
    }
}

package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.AccessDeniedException;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.TemporarilyUnavailableException;
import io.github.awsdelegation.token.TokenRejectedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An answer that is not the app's: its status, an error code (RFC 6749 §5.2 / RFC 6750 §3 style), a message a
 * developer can act on, and what the headers need. {@link Answers} writes it; a {@link ProblemFormat} chooses the body.
 *
 * @param status     the HTTP status
 * @param error      the error code, e.g. {@code access_denied}
 * @param message    why, safe to show: from a {@link DelegationException} message or the endpoint's own text
 * @param retryAfter the {@code Retry-After} to send, or {@code null}
 * @param challenge  whether to send {@code WWW-Authenticate: Bearer error="<error>"} (a 401)
 * @param details    further body fields, e.g. the login URL of {@code login_required}; in order
 */
public record Problem(int status, String error, String message, Duration retryAfter, boolean challenge,
                      Map<String, String> details) {

    public Problem {
        Objects.requireNonNull(error, "error");
        message = message == null ? "" : message;
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** A problem with no header of its own. */
    public static Problem of(int status, String error, String message) {
        return new Problem(status, error, message, null, false, null);
    }

    /**
     * The answer an exception's meaning calls for: token rejected 401 (with its challenge), access denied 403,
     * a user over its STS budget 429 and any other temporarily unavailable 503, with the exception's retry-after; anything else (a misconfiguration met while
     * serving) 500 with a pointer to the server log, where {@link Answers} writes the message.
     */
    public static Problem of(DelegationException e) {
        if (e instanceof TokenRejectedException) {
            return new Problem(401, "invalid_token", e.getMessage(), null, true, null);
        }
        if (e instanceof AccessDeniedException) {
            return of(403, "access_denied", e.getMessage());
        }
        if (e instanceof io.github.awsdelegation.sts.StsBudgetExceededException budget
                && budget.budget() == io.github.awsdelegation.sts.StsBudgetExceededException.Budget.USER) {
            return tooManyRequests(e.getMessage(), budget.retryAfter());
        }
        if (e instanceof TemporarilyUnavailableException unavailable) {
            return new Problem(503, "temporarily_unavailable", e.getMessage(), unavailable.retryAfter(), false, null);
        }
        return serverError("the AWS delegation is misconfigured; the server log says how to fix it");
    }

    /** 400 {@code invalid_request}. */
    public static Problem badRequest(String message) {
        return of(400, "invalid_request", message);
    }

    /** 401 {@code invalid_token} with its challenge: no token, or one that is not acceptable. */
    public static Problem invalidToken(String message) {
        return new Problem(401, "invalid_token", message, null, true, null);
    }

    /**
     * 401 {@code login_required} with its challenge: the user must sign in (again). The body names the login URL, so
     * that a script can send the user there: {@code error_description} and {@code login}.
     */
    public static Problem loginRequired(String reason, String loginUrl) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("error_description", reason);
        details.put("login", loginUrl);
        return new Problem(401, "login_required", reason, null, true, details);
    }

    /** 403 {@code access_denied}. */
    public static Problem accessDenied(String message) {
        return of(403, "access_denied", message);
    }

    /** 405 {@code method_not_allowed}; the caller sets {@code Allow}. */
    public static Problem methodNotAllowed(String message) {
        return of(405, "method_not_allowed", message);
    }

    /** 429 {@code too_many_requests}, saying when to retry. */
    public static Problem tooManyRequests(String message, Duration retryAfter) {
        return new Problem(429, "too_many_requests", message, retryAfter, false, null);
    }

    /** 503 {@code temporarily_unavailable}, saying when to retry. */
    public static Problem unavailable(String message, Duration retryAfter) {
        return new Problem(503, "temporarily_unavailable", message, retryAfter, false, null);
    }

    /** 500 {@code server_error}: the message points to the server log, never to what failed inside. */
    public static Problem serverError(String message) {
        return of(500, "server_error", message);
    }

    /** The {@code Retry-After} value in whole seconds, rounded up and at least 1, or {@code null}. */
    public String retryAfterSeconds() {
        return retryAfter == null ? null : Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }
}

package io.github.awsdelegation.servlet.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a {@link Problem} is written as a body, once {@link Answers} has set the status and headers. The module's
 * endpoints answer {@link #NEGOTIATED}; the Auth0-compatible {@code /delegation} answers {@link #OAUTH_JSON}, the
 * shape auth0.js reads.
 */
@FunctionalInterface
public interface ProblemFormat {

    /** {@code {"status", "error", "message", ...details}}, for API clients. */
    ProblemFormat JSON = (request, response, problem) -> {
        response.setContentType("application/json;charset=UTF-8");
        StringBuilder body = new StringBuilder(128).append("{\"status\":").append(problem.status())
                .append(",\"error\":\"").append(Text.json(problem.error()))
                .append("\",\"message\":\"").append(Text.json(problem.message())).append('"');
        problem.details().forEach((name, value) -> body.append(",\"").append(Text.json(name)).append("\":\"")
                .append(Text.json(value)).append('"'));
        response.getWriter().write(body.append('}').toString());
    };

    /** A readable HTML page: for a browser navigation. */
    ProblemFormat PAGE = ProblemPage::write;

    /** The page for a browser navigation ({@link Answers#isNavigation}), JSON for anything else. */
    ProblemFormat NEGOTIATED = (request, response, problem) ->
            (Answers.isNavigation(request) ? PAGE : JSON).write(request, response, problem);

    /** OAuth 2.0's {@code {"error", "error_description"}} (RFC 6749 §5.2), as Auth0's delegation endpoint answered. */
    ProblemFormat OAUTH_JSON = (request, response, problem) -> {
        response.setContentType("application/json;charset=UTF-8");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", problem.error());
        body.put("error_description", problem.message());
        response.getWriter().write(JSONObjectUtils.toJSONString(body));
    };

    /** Writes the body and its content type; the status and headers are set already. */
    void write(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException;
}

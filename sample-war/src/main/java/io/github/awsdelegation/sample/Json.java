package io.github.awsdelegation.sample;

import com.nimbusds.jose.util.JSONObjectUtils;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON in and out of the shop's API (with the JSON support the filter already brings, Nimbus's). */
final class Json {

    /** The most a JSON request body may hold. */
    private static final int MAX_BODY = 16 * 1024;

    private Json() {
    }

    /** Answers {@code status} with a JSON object. */
    static void write(HttpServletResponse response, int status, Map<String, ?> body) throws IOException {
        write(response, status, JSONObjectUtils.toJSONString(body));
    }

    /** Answers {@code status} with JSON text as it is (a pets API answer passed on). */
    static void write(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(json);
    }

    /**
     * Answers an error the way the filter answers its own: {@code {"status","error","message"}}, with the AWS service
     * the error came from when there is one.
     */
    static void error(HttpServletResponse response, int status, String error, String message, String service) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        body.put("message", message);
        if (service != null) {
            body.put("service", service);
        }
        write(response, status, body);
    }

    /** Reads a JSON object from the request body; null when it is not one (or too large). */
    static Map<String, Object> read(HttpServletRequest request) throws IOException {
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            return null;
        }
        try {
            return JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            return null;
        }
    }
}

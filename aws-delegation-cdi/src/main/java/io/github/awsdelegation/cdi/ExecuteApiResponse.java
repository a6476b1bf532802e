package io.github.awsdelegation.cdi;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The answer of an API Gateway endpoint to an {@link ExecuteApiClient} call: any status, error statuses
 * included (a 403 from API Gateway means the user's role may not invoke the method).
 *
 * <p>{@link #toString()} shows the status and the body length, never the body.
 */
public final class ExecuteApiResponse {

    private final int statusCode;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    /**
     * Creates the value.
     *
     * @param statusCode the HTTP status
     * @param headers    the response headers (looked up without regard to case)
     * @param body       the response body, empty when there is none
     */
    public ExecuteApiResponse(int statusCode, Map<String, List<String>> headers, byte[] body) {
        this.statusCode = statusCode;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = Objects.requireNonNull(body, "body").clone();
    }

    /** Returns the HTTP status. */
    public int statusCode() {
        return statusCode;
    }

    /** Tells whether the status is 2xx. */
    public boolean isSuccessful() {
        return statusCode >= 200 && statusCode < 300;
    }

    /** Returns the headers; names are matched without regard to case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** Returns the first value of a header, if present. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Returns a copy of the body. */
    public byte[] body() {
        return body.clone();
    }

    /** Returns the body as UTF-8 text. */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ExecuteApiResponse[status=" + statusCode + ", body=" + body.length + " bytes]";
    }
}

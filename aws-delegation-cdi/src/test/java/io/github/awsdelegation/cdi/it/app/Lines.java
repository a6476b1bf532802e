package io.github.awsdelegation.cdi.it.app;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The answer of a test servlet: {@code name=value} lines, where a value may be the exception a call threw. */
public final class Lines {

    private final Map<String, String> values = new LinkedHashMap<>();

    public Lines put(String name, Object value) {
        values.put(name, String.valueOf(value).replace('\n', ' '));
        return this;
    }

    /** Puts what the call returned, or {@code !ExceptionClass: message} when it threw. */
    public Lines attempt(String name, Supplier<?> call) {
        try {
            return put(name, call.get());
        } catch (RuntimeException e) {
            return put(name, "!" + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    public void write(HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        StringBuilder out = new StringBuilder();
        values.forEach((name, value) -> out.append(name).append('=').append(value).append('\n'));
        response.getWriter().write(out.toString());
    }
}

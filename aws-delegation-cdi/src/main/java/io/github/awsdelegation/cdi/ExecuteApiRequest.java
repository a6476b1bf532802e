package io.github.awsdelegation.cdi;

import io.github.awsdelegation.token.internal.IssuerUrls;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A request to an API Gateway endpoint, for {@link ExecuteApiClient}: method, URL, headers and body.
 * Immutable; build with {@link #builder()} or the shortcuts {@link #get(URI)} and {@link #post}.
 *
 * <p>The URL must be {@code https}: the signed request carries the user's session token. Plain {@code http} is
 * refused ({@link IllegalArgumentException} when the request is built) except for loopback hosts ({@code 127.0.0.1},
 * {@code ::1}, {@code localhost}), where a local test API runs.
 *
 * <p>{@link #toString()} shows the method, URL and body length, never the body or header values.
 */
public final class ExecuteApiRequest {

    // The client sets these itself (signing, framing); a request may not.
    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "host", "content-length", "x-amz-date",
            "x-amz-security-token", "x-amz-content-sha256");

    private final String method;
    private final URI uri;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    private ExecuteApiRequest(Builder b) {
        this.method = b.method;
        this.uri = Objects.requireNonNull(b.uri, "uri: set the API's URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/prod/pets");
        if (!uri.isAbsolute() || uri.getHost() == null
                || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
            throw new IllegalArgumentException("'" + uri + "' is not an absolute http(s) URL");
        }
        if (!IssuerUrls.isSecureOrLoopback(uri)) {
            // The signed request carries the session token: in clear text, anyone on the path could replay it.
            throw new IllegalArgumentException("'" + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath()
                    + "' is plain http: the request carries the user's session token, so use https (plain http is "
                    + "accepted only for loopback hosts: 127.0.0.1, ::1, localhost)");
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        b.headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        this.headers = Collections.unmodifiableMap(copy);
        this.body = b.body.clone();
    }

    /** Returns a builder of a {@code GET} request. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a {@code GET} request of the URL. */
    public static ExecuteApiRequest get(URI uri) {
        return builder().uri(uri).build();
    }

    /** Returns a {@code POST} request of the URL with a body of the given media type. */
    public static ExecuteApiRequest post(URI uri, String contentType, byte[] body) {
        return builder().method("POST").uri(uri).header("Content-Type", contentType).body(body).build();
    }

    /** Returns a {@code POST} request of the URL with a JSON body. */
    public static ExecuteApiRequest postJson(URI uri, String json) {
        return post(uri, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns the HTTP method, in upper case. */
    public String method() {
        return method;
    }

    /** Returns the URL. */
    public URI uri() {
        return uri;
    }

    /** Returns the headers the app set (the client adds the signing headers). */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** Returns a copy of the body; empty when there is none. */
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        return "ExecuteApiRequest[" + method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath()
                + ", headers=" + headers.keySet() + ", body=" + body.length + " bytes]";
    }

    /** Builds an {@link ExecuteApiRequest}. */
    public static final class Builder {

        private String method = "GET";
        private URI uri;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];

        private Builder() {
        }

        /** Sets the HTTP method. By default, {@code GET}. */
        public Builder method(String method) {
            if (method == null || !method.matches("[A-Za-z]+")) {
                throw new IllegalArgumentException("'" + method + "' is not an HTTP method");
            }
            this.method = method.toUpperCase(Locale.ROOT);
            return this;
        }

        /** Sets the URL: absolute, {@code https} (plain {@code http} only to a loopback host). Required. */
        public Builder uri(URI uri) {
            this.uri = uri;
            return this;
        }

        /**
         * Adds a header value. The signing headers ({@code Authorization}, {@code X-Amz-Date},
         * {@code X-Amz-Security-Token}) and framing headers ({@code Host}, {@code Content-Length}) are the
         * client's and are refused here.
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + name + " is set by the client when it signs the request");
            }
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        /** Sets the body. By default, none. */
        public Builder body(byte[] body) {
            this.body = Objects.requireNonNull(body, "body").clone();
            return this;
        }

        /** Builds the request. */
        public ExecuteApiRequest build() {
            return new ExecuteApiRequest(this);
        }
    }
}

package io.github.awsdelegation.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * One of the module's own endpoints (sign-in, callback, sign-out, SAML metadata, console and command-line sign-in,
 * the role listing, {@code /delegation}): what {@link Endpoints} routes to before the filter looks for a token. The
 * router answers a method the endpoint does not take (405, with {@code Allow}); the endpoint answers the rest, its
 * problems through {@link Answers}.
 */
public interface Endpoint {

    /** Returns the context-relative path it is served at, e.g. {@code /saml/roles}. */
    String path();

    /** Returns the HTTP methods it takes, e.g. {@code GET} and {@code HEAD}. */
    List<String> methods();

    /** Returns what a client that used another method should do, for the 405 answer, e.g. "use GET to list roles". */
    String usage();

    /** Returns how its problems are written; by default, a page for a browser navigation and JSON otherwise. */
    default ProblemFormat problemFormat() {
        return ProblemFormat.NEGOTIATED;
    }

    /** Answers a request of one of its {@link #methods()}. */
    void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;

    /** Answers one request; what {@link #of} routes to. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpServletRequest request, HttpServletResponse response) throws IOException;
    }

    /** Returns an endpoint of the given path, methods and 405 usage, answered by {@code handler}. */
    static Endpoint of(String path, List<String> methods, String usage, Handler handler) {
        return new Endpoint() {
            @Override
            public String path() {
                return path;
            }

            @Override
            public List<String> methods() {
                return methods;
            }

            @Override
            public String usage() {
                return usage;
            }

            @Override
            public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
                handler.handle(request, response);
            }

            @Override
            public String toString() {
                return "Endpoint[" + path + "]";
            }
        };
    }
}

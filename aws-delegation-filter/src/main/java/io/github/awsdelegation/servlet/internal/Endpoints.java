package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.config.ConfigurationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Routes a request to the endpoint at its (normalised, context-relative) path, exactly: no prefix or pattern
 * matching, so that a path is the module's or the app's, never both. Built once at start-up; two endpoints at one
 * path fail the deployment.
 */
public final class Endpoints {

    private final Map<String, Endpoint> byPath = new LinkedHashMap<>();

    /**
     * Creates the router.
     *
     * @throws ConfigurationException when two endpoints are configured at the same path
     */
    public Endpoints(List<? extends Endpoint> endpoints) {
        for (Endpoint endpoint : endpoints) {
            Endpoint taken = byPath.putIfAbsent(endpoint.path(), endpoint);
            if (taken != null) {
                throw new ConfigurationException("paths", "two endpoints are configured at " + endpoint.path() + " ("
                        + name(taken) + " and " + name(endpoint) + "); give each its own path");
            }
        }
    }

    /** Returns the endpoint at the path, if any. */
    public Optional<Endpoint> at(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    /**
     * Answers the request when its path is an endpoint's: 405 with {@code Allow} for a method it does not take, else
     * the endpoint's answer. Returns whether it was an endpoint's.
     */
    public boolean handle(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Endpoint endpoint = byPath.get(path);
        if (endpoint == null) {
            return false;
        }
        if (!endpoint.methods().contains(request.getMethod())) {
            response.setHeader("Allow", String.join(", ", endpoint.methods()));
            Answers.send(request, response, Problem.methodNotAllowed(endpoint.usage()), endpoint.problemFormat());
            return true;
        }
        endpoint.handle(request, response);
        return true;
    }

    private static String name(Endpoint endpoint) {
        return endpoint.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "Endpoints" + byPath.keySet();
    }
}

package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.config.RequestSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * The role a client asks for, from the configured header or query parameter (never the body: getParameter() would
 * consume a POST body the app still needs). A request that asks twice — two query values, several header values, or a
 * header and a query value that disagree — is refused (400) rather than resolved: a proxy, a log or the app might read
 * the other value than the filter did.
 *
 * @param role the role asked for (name or ARN), or {@code null} for the default
 */
public record RoleRequest(String role) {

    /**
     * Reads the request's role request.
     *
     * @throws AmbiguousRoleRequestException when the request names more than one role, or its query is not URL encoding
     */
    public static RoleRequest of(HttpServletRequest request, RequestSettings settings) {
        List<String> asked = new ArrayList<>();
        String headerName = settings.roleHeader();
        if (headerName != null) {
            for (Enumeration<String> values = request.getHeaders(headerName); values != null && values.hasMoreElements(); ) {
                for (String value : values.nextElement().split(",", -1)) {
                    if (!value.isBlank()) {
                        asked.add(value.trim());
                    }
                }
            }
            if (asked.size() > 1) {
                throw new AmbiguousRoleRequestException("the " + headerName + " header names " + asked.size()
                        + " roles; request one role per request");
            }
        }
        String query = request.getQueryString();
        String name = settings.roleParameter();
        if (query != null && name != null) {
            List<String> fromQuery = new ArrayList<>();
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                try {
                    if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                        fromQuery.add(value.trim());
                    }
                } catch (IllegalArgumentException malformed) {
                    throw new AmbiguousRoleRequestException("the query string is not valid URL encoding; encode the "
                            + name + " parameter with percent-encoding");
                }
            }
            if (fromQuery.size() > 1) {
                throw new AmbiguousRoleRequestException("the query string names " + name + " " + fromQuery.size()
                        + " times; request one role per request");
            }
            if (fromQuery.size() == 1 && !fromQuery.get(0).isEmpty()) {
                if (!asked.isEmpty() && !asked.get(0).equals(fromQuery.get(0))) {
                    throw new AmbiguousRoleRequestException("the " + headerName + " header and the " + name
                            + " parameter ask for different roles; send one of them");
                }
                if (asked.isEmpty()) {
                    asked.add(fromQuery.get(0));
                }
            }
        }
        return new RoleRequest(asked.isEmpty() ? null : asked.get(0));
    }

    /** A role request that names more than one role (400): refused rather than resolved. */
    public static final class AmbiguousRoleRequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AmbiguousRoleRequestException(String message) {
            super(message, null, false, false);
        }
    }
}

package io.github.awsdelegation.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the filter finds tokens and role requests.
 *
 * @param sessionAttribute the HTTP session attribute holding the ID token
 * @param bearer           whether {@code Authorization: Bearer <ID token>} is accepted
 * @param roleHeader       the header of a role request
 * @param roleParameter    the query parameter of a role request
 * @param publicPaths      paths (relative to the context, {@code /static/*} style prefixes allowed) the
 *                         filter lets through untouched
 * @param allowedOrigins   origins ({@code scheme://host[:port]}) besides the app's own whose pages may send
 *                         state-changing requests ({@code POST}, {@code PUT}, ...) with the user's session cookie;
 *                         by default none
 */
public record RequestSettings(String sessionAttribute, boolean bearer, String roleHeader, String roleParameter,
        List<String> publicPaths, Set<String> allowedOrigins) {

    /** By default, the ID token is found in the HTTP session under this attribute. */
    public static final String DEFAULT_SESSION_ATTRIBUTE = "io.github.awsdelegation.id_token";

    /** By default, {@code Authorization: Bearer <ID token>} is accepted. */
    public static final boolean DEFAULT_BEARER = true;

    /** By default, a client requests a role with this header. */
    public static final String DEFAULT_ROLE_HEADER = "X-AWS-Role";

    /** By default, a client requests a role with this query parameter. */
    public static final String DEFAULT_ROLE_PARAMETER = "aws_role";

    public RequestSettings {
        Objects.requireNonNull(sessionAttribute, "sessionAttribute");
        publicPaths = List.copyOf(publicPaths);
        publicPaths.forEach(RequestSettings::checkPublicPath);
        allowedOrigins.forEach(RequestSettings::checkOrigin);
        allowedOrigins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    // Matched on the container's normalised path: only plain paths, a '*' only as a trailing "/*" prefix.
    private static void checkPublicPath(String p) {
        String prefix = p.endsWith("/*") ? p.substring(0, p.length() - 1) : p;
        boolean dotSegment = List.of(prefix.split("/", -1)).stream().anyMatch(s -> s.equals(".") || s.equals(".."));
        if (!p.startsWith("/") || prefix.contains("*") || prefix.contains(";") || prefix.contains("%")
                || prefix.contains("\\") || dotSegment) {
            throw new ConfigurationException("request.publicPaths", "'" + p + "' is not a public path; write a "
                    + "context-relative path as the browser requests it, decoded, e.g. /index.html, or a prefix ending "
                    + "in /*, e.g. /static/*");
        }
    }

    // Origins compared with a browser's Origin header: scheme://host[:port], nothing else, no wildcard.
    private static void checkOrigin(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw new ConfigurationException("request.allowedOrigins", "'" + origin + "' is not an origin; write "
                    + "scheme://host[:port] as a browser sends it in Origin, e.g. https://admin.example.com "
                    + "(no path, no trailing slash, no wildcard)");
        }
    }

    /** Creates the settings with no other origin allowed to use the session cookie. */
    public RequestSettings(String sessionAttribute, boolean bearer, String roleHeader, String roleParameter,
            List<String> publicPaths) {
        this(sessionAttribute, bearer, roleHeader, roleParameter, publicPaths, Set.of());
    }

    /** Returns the defaults. */
    public static RequestSettings defaults() {
        return new RequestSettings(DEFAULT_SESSION_ATTRIBUTE, DEFAULT_BEARER, DEFAULT_ROLE_HEADER, DEFAULT_ROLE_PARAMETER, List.of());
    }

    /** Tells whether a context-relative path is public. */
    public boolean isPublic(String path) {
        for (String p : publicPaths) {
            if (p.endsWith("/*") ? path.startsWith(p.substring(0, p.length() - 1)) || path.equals(p.substring(0, p.length() - 2))
                    : path.equals(p)) {
                return true;
            }
        }
        return false;
    }
}

package io.github.awsdelegation.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/**
 * The context-relative path the filter decides on: the container's own, normalised path (servlet path plus path
 * info: decoded, {@code .} and {@code ..} segments resolved, {@code ;} parameters removed), which is the path the
 * container maps to a servlet. Matching the raw request URI instead let {@code /static/../api/x},
 * {@code /static/..;/api/x} or {@code /static/%2e%2e/api/x} pass as "public" and reach {@code /api/*}.
 *
 * <p>A raw URI the container normalised away from what it says — path parameters, encoded dots or slashes,
 * backslashes, dot segments — is {@linkplain #ambiguity() ambiguous}: a proxy in front of the app, or another
 * container, may read it differently. The filter lets such a request through only when its normalised path is
 * public; anything else gets 400.
 *
 * @param path      the normalised context-relative path, e.g. {@code /api/pets}
 * @param ambiguity why the raw URI is ambiguous, or {@code null} when it is plain
 */
public record RequestPath(String path, String ambiguity, boolean unresolved) {

    /** Reads the request's path as the container mapped it. */
    public static RequestPath of(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = pathInfo == null ? (servletPath == null ? "" : servletPath)
                : (servletPath == null ? "" : servletPath) + pathInfo;
        if (path.isEmpty()) {
            path = "/";
        }
        String uri = request.getRequestURI();
        // The common case, told by one scan of each: a plain URI has a plain context-relative part, whatever the
        // context path (which the container works out from the raw URI at a cost, so it is only asked otherwise).
        if (plain(uri) && plain(path)) {
            return new RequestPath(path, null, false);
        }
        String context = request.getContextPath();
        String raw = uri.startsWith(context) ? uri.substring(context.length()) : uri;
        String ambiguity = ambiguity(raw);
        if (ambiguity != null) {
            return new RequestPath(path, ambiguity, false);
        }
        String dotSegment = dotSegment(path);
        if (dotSegment != null) {
            return new RequestPath(path, "a dot segment the server did not resolve (" + dotSegment + ")", true);
        }
        return new RequestPath(path, path.indexOf('\\') >= 0 ? "a backslash" : null, false);
    }

    // Nothing the slow checks look for: no ';', '%', '\\', and no segment starting with '.'. Such a path is neither
    // ambiguous nor has a dot segment; anything else is judged by ambiguity() and dotSegment().
    private static boolean plain(String s) {
        char previous = '/';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ';' || c == '%' || c == '\\' || c == '.' && previous == '/') {
                return false;
            }
            previous = c;
        }
        return true;
    }

    // A container that left a dot segment in its "normalised" path maps it some way the filter cannot know.
    private static String dotSegment(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return segment;
            }
        }
        return null;
    }

    /** Tells whether the filter must refuse the request (400): it is ambiguous, and not plainly public. */
    public boolean refused(java.util.function.Predicate<String> isPublic) {
        return unresolved || ambiguity != null && !isPublic.test(path);
    }

    /** Tells what makes a raw (undecoded) context-relative path ambiguous, or returns {@code null}. */
    static String ambiguity(String raw) {
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.indexOf(';') >= 0) {
            return "a path parameter (;)";
        }
        if (lower.contains("%2e")) {
            return "an encoded dot (%2e)";
        }
        if (lower.contains("%2f") || lower.contains("%5c")) {
            return "an encoded slash (%2f or %5c)";
        }
        if (lower.indexOf('\\') >= 0) {
            return "a backslash";
        }
        for (String segment : lower.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return "a dot segment (" + segment + ")";
            }
        }
        return null;
    }

    /** The message of the 400 answer. */
    public String refusal() {
        return "the request path holds " + ambiguity + ", which servers and proxies read differently; "
                + "request the resource by its plain path (" + printable(path) + ")";
    }

    private static String printable(String s) {
        String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return shown.replaceAll("[^\\x20-\\x7E]", "?");
    }
}

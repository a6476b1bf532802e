package io.github.awsdelegation.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Locale;

/**
 * Refuses cross-site requests that would act with the user's session cookie (CSRF): a page elsewhere can make the
 * browser send a form {@code POST} (urlencoded, multipart or {@code text/plain}) to the app, and the cookie goes
 * with it. Such a request must come from the app's own origin or an origin in {@code request.allowedOrigins}.
 *
 * <p>Only <em>unsafe</em> methods (anything but {@code GET}, {@code HEAD}, {@code OPTIONS}) authenticated by the
 * session are checked: a bearer token is never sent by a browser on its own, and safe methods must not change
 * anything. The evidence, in order (as Go's {@code net/http.CrossOriginProtection} and the Fetch Metadata
 * recommendations weigh it):
 * <ol>
 *   <li>{@code Sec-Fetch-Site} (every current browser): {@code same-origin} passes; {@code none} passes too — the
 *       browser sends it only for a request the user started (address bar, bookmark, a reload that re-submits a
 *       form), never for one a page made, so an attacker cannot produce it; {@code same-site} and
 *       {@code cross-site} pass only with an {@code Origin} in the allowed list (a sibling sub-domain is another
 *       origin, possibly someone else's).</li>
 *   <li>else {@code Origin} (browsers before Fetch Metadata still send it on every {@code POST}): it must be the
 *       request's own origin or an allowed one; {@code Origin: null} (sandboxed frames, some redirects) is refused.</li>
 *   <li>else {@code Referer}: its origin must be the request's or an allowed one. A request with none of the three
 *       headers is refused: no browser of the last years sends a form {@code POST} without them, and a script that
 *       replays a session cookie can send {@code Origin} or, better, a bearer token.</li>
 * </ol>
 * The request's own origin is {@code scheme://host[:port]} as the container sees it; behind a TLS proxy, let the
 * container know the original scheme and host (Tomcat's {@code RemoteIpValve}, Undertow's {@code proxy-address-forwarding})
 * or list the public origin in {@code request.allowedOrigins}.
 */
public final class CrossSiteRequests {

    /** The {@code error} of the 403 answer. */
    public static final String ERROR = "cross_site_request";

    private CrossSiteRequests() {
    }

    /** Tells whether the method may change state, and so needs the check when the session authenticates it. */
    public static boolean isUnsafe(HttpServletRequest request) {
        String method = request.getMethod();
        // GET, HEAD and OPTIONS are safe: compared as constants, not looked up in a set (this runs on every request).
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method));
    }

    /**
     * Tells why a session-authenticated request is refused as cross-site, or returns {@code null} when it may proceed.
     * Safe methods always may.
     *
     * @param allowedOrigins origins ({@code scheme://host[:port]}, lower case) trusted besides the request's own
     */
    public static String refusal(HttpServletRequest request, Collection<String> allowedOrigins) {
        if (!isUnsafe(request)) {
            return null;
        }
        String origin = request.getHeader("Origin");
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            site = site.trim().toLowerCase(Locale.ROOT);
            if (site.equals("same-origin") || site.equals("none")) {
                return null;
            }
            if (origin != null && trusted(request, origin, allowedOrigins)) {
                return null;
            }
            return "a " + request.getMethod() + " with the session cookie came from another "
                    + (site.equals("same-site") ? "origin of the same site" : "site") + " (Sec-Fetch-Site: " + printable(site)
                    + (origin == null ? "" : ", Origin: " + printable(origin)) + "); "
                    + "list that origin in request.allowedOrigins if it is yours, or send Authorization: Bearer <ID token>";
        }
        if (origin != null) {
            if (trusted(request, origin, allowedOrigins)) {
                return null;
            }
            return "a " + request.getMethod() + " with the session cookie came from origin " + printable(origin)
                    + ", not " + BrowserPages.origin(request) + "; list that origin in request.allowedOrigins if it is yours, "
                    + "or send Authorization: Bearer <ID token>";
        }
        String referer = request.getHeader("Referer");
        if (referer != null) {
            String refererOrigin = originOf(referer);
            if (refererOrigin != null && trusted(request, refererOrigin, allowedOrigins)) {
                return null;
            }
            return "a " + request.getMethod() + " with the session cookie came from a page of another origin (Referer); "
                    + "list that origin in request.allowedOrigins if it is yours, or send Authorization: Bearer <ID token>";
        }
        return "a " + request.getMethod() + " with the session cookie carries neither Sec-Fetch-Site, Origin nor Referer, "
                + "so it may come from another site; a script should send Origin: " + BrowserPages.origin(request)
                + " or, better, Authorization: Bearer <ID token>";
    }

    /**
     * Answers 403 {@code cross_site_request} and returns {@code false} when the request is refused; returns
     * {@code true}, writing nothing, when it may proceed. For every endpoint that acts on a session cookie.
     */
    public static boolean check(HttpServletRequest request, HttpServletResponse response, Collection<String> allowedOrigins)
            throws IOException {
        String refusal = refusal(request, allowedOrigins);
        if (refusal == null) {
            return true;
        }
        Answers.send(request, response, Problem.of(HttpServletResponse.SC_FORBIDDEN, ERROR, refusal));
        return false;
    }

    private static boolean trusted(HttpServletRequest request, String origin, Collection<String> allowedOrigins) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.equals(BrowserPages.origin(request).toLowerCase(Locale.ROOT)) || allowedOrigins.contains(o);
    }

    /** Returns {@code scheme://host[:port]} of an absolute URL (default ports left out), or {@code null}. */
    static String originOf(String url) {
        try {
            URI uri = new URI(url.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || port == 80 && scheme.equals("http") || port == 443 && scheme.equals("https");
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String printable(String value) {
        String s = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        return s.replaceAll("[^\\x20-\\x7E]", "?");
    }
}

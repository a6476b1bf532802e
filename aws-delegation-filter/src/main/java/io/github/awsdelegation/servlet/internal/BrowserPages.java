package io.github.awsdelegation.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * What the browser pages of the SAML endpoints share: strict security headers (no caching, no framing, a
 * content security policy that allows only the page's own nonce-bearing script and only the intended form
 * target), and protection of state-changing requests against cross-site request forgery: a per-session
 * synchronizer token checked in constant time, and the {@code Origin} / {@code Sec-Fetch-Site} headers when the
 * browser sends them.
 */
final class BrowserPages {

    static final String CSRF_PARAMETER = "csrf_token";
    private static final String CSRF_ATTRIBUTE = "io.github.awsdelegation.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private BrowserPages() {
    }

    /** Returns the session's CSRF token, creating the session and the token when needed. */
    static String csrfToken(HttpServletRequest request) {
        HttpSession session = request.getSession(true);
        Object token = session.getAttribute(CSRF_ATTRIBUTE);
        if (token instanceof String s) {
            return s;
        }
        String fresh = random();
        session.setAttribute(CSRF_ATTRIBUTE, fresh);
        return fresh;
    }

    /**
     * Tells why a state-changing request is refused as cross-site, or returns {@code null} when it is acceptable: it
     * must carry the session's CSRF token, and must not come from another origin or site.
     */
    static String csrfProblem(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin")) {
            return "the request came from another site (Sec-Fetch-Site: " + site + ")";
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !origin.equalsIgnoreCase(origin(request))) {
            return "the request came from another origin";
        }
        HttpSession session = request.getSession(false);
        Object expected = session == null ? null : session.getAttribute(CSRF_ATTRIBUTE);
        String actual = request.getParameter(CSRF_PARAMETER);
        if (!(expected instanceof String e) || actual == null
                || !MessageDigest.isEqual(e.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8))) {
            return "the form's CSRF token is missing or does not belong to this browser session";
        }
        return null;
    }

    /** Returns the request's origin, {@code scheme://host[:port]}. */
    static String origin(HttpServletRequest request) {
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        int port = request.getServerPort();
        boolean defaultPort = port == 80 && scheme.equals("http") || port == 443 && scheme.equals("https");
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }

    /** Returns a random value for a CSRF token or a CSP nonce. */
    static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Writes an HTML page with the security headers.
     *
     * @param formAction the only target forms may submit to ({@code 'self'} or an https origin)
     * @param nonce      the nonce of the page's inline script, or {@code null} for no script
     */
    static void write(HttpServletResponse response, int status, String formAction, String nonce, String html) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", "default-src 'none'; "
                + (nonce == null ? "" : "script-src 'nonce-" + nonce + "'; ")
                + "form-action " + formAction + "; frame-ancestors 'none'; base-uri 'none'");
        response.setContentType("text/html;charset=UTF-8");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(html);
    }

    /** Escapes text for HTML element content and quoted attributes. */
    static String html(String s) {
        return Text.html(s);
    }
}

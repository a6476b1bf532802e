package io.github.awsdelegation.servlet.internal;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The readable page a browser navigation gets for a problem: the reason, a link to try again and, when the built-in
 * login is on, a sign-out button (a POST form to the logout path). Never a stack trace; every value on the page is
 * HTML-escaped (a reason may quote user data).
 */
final class ProblemPage {

    private ProblemPage() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
        String nonce = BrowserPages.random();
        response.setHeader("Pragma", "no-cache");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        // No form-action: the sign-out POST is followed by a redirect to the provider's end-session endpoint.
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'nonce-" + nonce
                + "'; frame-ancestors 'none'; base-uri 'none'");
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write(page(request, problem, nonce));
    }

    private static String page(HttpServletRequest request, Problem problem, String nonce) {
        int status = problem.status();
        String title = switch (status) {
            case HttpServletResponse.SC_UNAUTHORIZED -> "You are not signed in";
            case HttpServletResponse.SC_FORBIDDEN -> "Not allowed";
            case HttpServletResponse.SC_SERVICE_UNAVAILABLE -> "AWS credentials are unavailable right now";
            case HttpServletResponse.SC_BAD_REQUEST -> "This request cannot be served";
            default -> "Something went wrong";
        };
        String home = request.getContextPath() + "/";
        // Trying again means the same navigation: the address asked for, when it was a GET; else the app's home.
        String again = "GET".equals(request.getMethod())
                ? request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString())
                : home;
        if (!again.startsWith("/") || again.startsWith("//") || again.startsWith("/\\")) {
            again = home; // "//host/..." would be a link to another site
        }
        StringBuilder page = new StringBuilder(1024)
                .append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(status).append(' ').append(Text.html(title)).append("</title>")
                .append("<style nonce=\"").append(nonce).append("\">")
                .append("body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}")
                .append("main{max-width:42rem;margin:3rem auto;background:#fff;padding:2rem 2.5rem;border-radius:12px;")
                .append("box-shadow:0 2px 12px rgba(0,0,0,.08)}h1{margin-top:0;font-size:1.4rem}")
                .append(".reason{overflow-wrap:anywhere;background:#fdecea;color:#611a15;padding:.8rem 1rem;border-radius:8px}")
                .append(".actions{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}form{margin:0}")
                .append("a.button,button{display:inline-block;background:#ff9900;color:#1d2330;border:0;padding:.5rem 1rem;")
                .append("border-radius:6px;text-decoration:none;font-weight:600;cursor:pointer;font-size:.9rem;font-family:inherit}")
                .append("button.secondary,a.secondary{background:#e4e7ec}code{color:#5f6b7a}</style></head><body>")
                .append("<main class=\"error-page\" data-status=\"").append(status).append("\">")
                .append("<h1>").append(Text.html(title)).append("</h1>")
                .append("<p class=\"reason\" id=\"reason\">").append(Text.html(problem.message())).append("</p>")
                .append("<p><code>").append(status).append(' ').append(Text.html(problem.error())).append("</code>");
        if (problem.retryAfter() != null) {
            page.append(" — this usually passes: try again in ").append(problem.retryAfterSeconds()).append(" s.");
        }
        page.append("</p><div class=\"actions\"><a class=\"button\" id=\"retry\" href=\"").append(Text.html(again))
                .append("\">Try again</a>");
        if (!again.equals(home)) {
            page.append("<a class=\"button secondary\" id=\"home\" href=\"").append(Text.html(home)).append("\">Home</a>");
        }
        ServletContext context = request.getServletContext();
        if (context != null && context.getAttribute(Answers.SIGN_OUT_ACTION_ATTRIBUTE) instanceof String logoutPath) {
            page.append("<form method=\"post\" action=\"").append(Text.html(request.getContextPath() + logoutPath)).append("\" id=\"sign-out-form\">")
                    .append("<button type=\"submit\" class=\"secondary\" id=\"sign-out\">Sign out</button></form>");
        }
        return page.append("</div></main></body></html>").toString();
    }
}

package io.github.awsdelegation.testkit;

import static io.github.awsdelegation.testkit.internal.Html.escape;

import java.util.List;

/** The HTML the local identity provider shows a person: the login page, error pages, the signed-out page. */
final class LoginPage {

    private static final String STYLE = """
            *{box-sizing:border-box}
            body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
              background:#f0f2f5;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1e212a}
            main{width:100%;max-width:400px;background:#fff;border-radius:8px;padding:40px;
              box-shadow:0 12px 40px rgba(0,0,0,.12)}
            h1{font-size:24px;font-weight:400;text-align:center;margin:0 0 8px}
            p.lead{text-align:center;color:#65676e;margin:0 0 24px}
            label{display:block;font-size:14px;margin:16px 0 4px}
            input[type=email],input[type=text],input[type=password]{width:100%;padding:12px;font-size:16px;
              border:1px solid #c9cace;border-radius:4px}
            input:focus{outline:2px solid #635dff;border-color:#635dff}
            button{width:100%;padding:12px;margin-top:24px;font-size:16px;border-radius:4px;cursor:pointer;border:0}
            button.primary{background:#635dff;color:#fff}
            button.amazon{background:#ff9900;color:#111;margin-top:8px;border:1px solid #e88b00}
            .divider{display:flex;align-items:center;margin:24px 0 0;color:#65676e;font-size:12px}
            .divider:before,.divider:after{content:"";flex:1;border-top:1px solid #c9cace}
            .divider span{padding:0 8px}
            .error{background:#ffeaea;border-left:4px solid #d03c38;padding:8px 12px;margin:0 0 8px;font-size:14px}
            footer{margin-top:24px;text-align:center;font-size:12px;color:#65676e}
            .demo{background:#fff8e1;border:1px dashed #e0a800;border-radius:4px;padding:8px 12px;margin:0 0 16px;font-size:13px}
            .demo ul{margin:4px 0 0;padding-left:18px}
            """;

    private LoginPage() {
    }

    /**
     * Renders the login page for a pending authorization request.
     *
     * @param transactionId the id of the pending request, posted back with the form
     * @param clientId the application the user signs in to
     * @param socialUsers the "Continue with Amazon" users; one button each
     * @param databaseLogin whether database users exist (shows the username/password form)
     * @param demo whether the users are the {@link Demo} users: the page then lists them with their demo password,
     *     marked as a demo (configured users are never listed)
     * @param error an error to show, or null
     * @param username the username to fill in again after a failed attempt, or null
     */
    static String login(String transactionId, String clientId, List<UserAccount> socialUsers, boolean databaseLogin,
            boolean demo, String error, String username) {
        StringBuilder body = new StringBuilder();
        body.append("<h1>Welcome</h1>\n<p class=\"lead\">Log in to continue to <strong id=\"client\">")
                .append(escape(clientId)).append("</strong>.</p>\n");
        if (demo) {
            body.append("<aside class=\"demo\" id=\"demo-users\" aria-label=\"Demo users\">\n")
                    .append("<strong>Demo identity provider</strong> (aws-delegation-testkit, on 127.0.0.1): these users and ")
                    .append("passwords are made up for the demo.\n<ul>\n<li>Database user: <code id=\"demo-username\">")
                    .append(escape(Demo.ADMIN_USERNAME)).append("</code> / <code id=\"demo-password\">")
                    .append(escape(Demo.ADMIN_PASSWORD)).append("</code></li>\n<li>Social user: \"Continue with Amazon\" signs in ")
                    .append("<code>").append(escape(Demo.BUYER_EMAIL)).append("</code></li>\n</ul>\n</aside>\n");
        }
        if (error != null) {
            body.append("<div class=\"error\" role=\"alert\" id=\"error\">").append(escape(error)).append("</div>\n");
        }
        for (int i = 0; i < socialUsers.size(); i++) {
            UserAccount social = socialUsers.get(i);
            String label = socialUsers.size() == 1 ? "Continue with Amazon" : "Continue with Amazon as " + social.email();
            body.append("<form method=\"post\" action=\"/authorize\">\n")
                    .append(hidden("tx", transactionId))
                    .append(hidden("connection", LocalIdentityProvider.SOCIAL_CONNECTION))
                    .append(hidden("social_user", social.loginName()))
                    .append("<button type=\"submit\" class=\"amazon\" id=\"continue-with-amazon")
                    .append(i == 0 ? "" : "-" + i).append("\">").append(escape(label)).append("</button>\n</form>\n");
        }
        if (databaseLogin) {
            if (!socialUsers.isEmpty()) {
                body.append("<div class=\"divider\"><span>OR</span></div>\n");
            }
            body.append("<form method=\"post\" action=\"/authorize\">\n")
                    .append(hidden("tx", transactionId))
                    .append(hidden("connection", LocalIdentityProvider.DATABASE_CONNECTION))
                    .append("<label for=\"username\">Email address</label>\n")
                    .append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required")
                    .append(" autofocus value=\"").append(escape(username)).append("\">\n")
                    .append("<label for=\"password\">Password</label>\n")
                    .append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\"")
                    .append(" required>\n")
                    .append("<button type=\"submit\" class=\"primary\" id=\"login\">Continue</button>\n</form>\n");
        }
        return page("Log in | " + clientId, body.toString());
    }

    /** Renders an error page for a request that cannot be sent back to the application (RFC 6749 §4.1.2.1). */
    static String error(String error, String description) {
        return page("Error", "<h1>Something went wrong</h1>\n<div class=\"error\" role=\"alert\" id=\"error\"><strong>"
                + escape(error) + "</strong>: " + escape(description) + "</div>\n");
    }

    /** Renders the page shown after logout when no return URL was given. */
    static String signedOut() {
        return page("Signed out", "<h1>You are signed out</h1>\n<p class=\"lead\">You can close this window.</p>\n");
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">\n";
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape(title) + "</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n<main>\n"
                + body
                + "<footer>Local test identity provider (aws-delegation testkit). Not for production.</footer>\n"
                + "</main>\n</body>\n</html>\n";
    }
}

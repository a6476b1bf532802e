package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.config.SamlEndpointSettings;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRules;
import io.github.awsdelegation.sts.internal.Partition;
import io.github.awsdelegation.sts.saml.SamlResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Console single sign-on: sends a signed-in user to the AWS Management Console with an IdP-initiated SAML
 * response, auto-submitted by the browser to the partition's sign-in endpoint (SAML 2.0 HTTP POST binding).
 *
 * <p>The roles offered are those the rules permit the user that have an IAM SAML provider as principal and no
 * session policy (a console session cannot carry one, so such a role would give the user more than the API
 * does). With one role, {@code GET} answers the auto-submitting form at once. With several, {@code GET} answers a
 * role chooser whose buttons {@code POST} back with the session's CSRF token, and the chosen role is checked
 * against the rules again; with {@code roleChooser: aws} the response names every role and AWS's own page asks.
 *
 * <p>The answer necessarily hands the signed response to the browser, which is the bearer's job in this binding:
 * it is short-lived, addressed to AWS's sign-in endpoint, never cached ({@code no-store}), never framed, and the
 * page's content security policy lets its form go to that endpoint only. Nothing else of it is logged.
 */
final class ConsoleSignIn implements Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSignIn.class);

    private final SamlEndpointSettings settings;
    private final SamlSignIn signIn;

    ConsoleSignIn(SamlEndpointSettings settings, SamlSignIn signIn) {
        this.settings = settings;
        this.signIn = signIn;
    }

    @Override
    public String path() {
        return settings.consolePath();
    }

    @Override
    public List<String> methods() {
        return List.of("GET", "POST");
    }

    @Override
    public String usage() {
        return "use GET to start console sign-in";
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean post = "POST".equals(request.getMethod());
        SamlSignIn.SignInRoles eligible = signIn.signInRoles(request, response, post ? null : settings.consolePath(),
                "signing in to the AWS console", EntryPoint.CONSOLE_SIGN_IN);
        if (eligible == null) {
            return;
        }
        SignedInUser user = eligible.user();
        RoleDecision decision = eligible.decision();
        List<RoleGrant> roles = eligible.roles();
        if (roles.isEmpty()) {
            signIn.refuse(request, response, user, decision, null, "none of the roles rule '" + decision.ruleId()
                    + "' permits can be used for the AWS console: a console role needs an IAM SAML provider as principal and "
                    + "no session policy or managed policies", EntryPoint.CONSOLE_SIGN_IN);
            return;
        }
        if (post) {
            String problem = BrowserPages.csrfProblem(request);
            if (problem != null) {
                LOG.warn("Console sign-in refused for {}: {}", LogSafe.of(user.identity().subject()), problem);
                Answers.send(request, response, Problem.accessDenied("console sign-in refused: " + problem
                        + "; start again at " + request.getContextPath() + settings.consolePath()));
                return;
            }
            String chosen = request.getParameter("role");
            RoleGrant role = chosen == null ? null : roles.stream().filter(r -> r.roleArn().equals(chosen)).findFirst().orElse(null);
            if (role == null) {
                LoggerFactory.getLogger(RoleRules.REFUSALS_LOGGER).warn("Console role refused: subject={} requested={} rule={}",
                        user.identity().subject(), chosen == null ? "none" : chosen.replaceAll("[^\\x20-\\x7E]", "?"), decision.ruleId());
                signIn.refuse(request, response, user, decision, chosen, "that role is not one this user may use for the "
                        + "AWS console (rule '" + decision.ruleId() + "')", EntryPoint.CONSOLE_SIGN_IN);
                return;
            }
            signIn(request, response, user, List.of(role), decision);
            return;
        }
        if (roles.size() == 1) {
            signIn(request, response, user, roles, decision);
        } else if (settings.roleChooser() == SamlEndpointSettings.RoleChooser.AWS
                && roles.stream().noneMatch(SamlSignIn::hasOwnScoping)) {
            Partition partition = Partition.of(roles.get(0).partition());
            signIn(request, response, user, roles.stream().filter(r -> Partition.of(r.partition()) == partition).toList(),
                    decision);
        } else {
            // With roleChooser: aws too, when a role has its own tags or source identity: an assertion of several roles
            // cannot carry them, so AWS's chooser would hand that role out without them.
            chooser(request, response, roles);
        }
    }

    private void signIn(HttpServletRequest request, HttpServletResponse response, SignedInUser user, List<RoleGrant> roles,
            RoleDecision decision) throws IOException {
        SamlResponse saml = signIn.create(request, response, user, roles, decision, EntryPoint.CONSOLE_SIGN_IN,
                "Console sign-in");
        if (saml == null) {
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("SAMLResponse", saml.encoded());
        if (settings.relayState() != null) {
            fields.put("RelayState", settings.relayState().toString());
        }
        // AWS's sign-in endpoint (the assertion's Recipient), unless a stand-in is configured (saml.console.signInUrl).
        URI target = settings.consoleSignInUrl() != null ? settings.consoleSignInUrl() : saml.recipient();
        SamlSignIn.autoPost(response, target, fields, "Signing in to the AWS console", "Continue to the AWS console");
    }

    private void chooser(HttpServletRequest request, HttpServletResponse response, List<RoleGrant> roles) throws IOException {
        String csrf = BrowserPages.csrfToken(request);
        String action = request.getContextPath() + settings.consolePath();
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Choose a role for the AWS console</title></head><body><h1>Choose a role for the AWS console</h1>");
        if (settings.roleChooser() == SamlEndpointSettings.RoleChooser.AWS) {
            page.append("<p>Some of your roles have their own session tags or source identity, which AWS's role chooser "
                    + "cannot keep apart: choose the role here, and it is signed in alone.</p>");
        }
        page.append("<ul>");
        for (RoleGrant role : roles) {
            String account = settings.accountAlias(role.accountId()).map(a -> a + " (" + role.accountId() + ")").orElse(role.accountId());
            page.append("<li><form method=\"post\" action=\"").append(BrowserPages.html(action)).append("\">")
                    .append("<input type=\"hidden\" name=\"").append(BrowserPages.CSRF_PARAMETER).append("\" value=\"")
                    .append(BrowserPages.html(csrf)).append("\">")
                    .append("<input type=\"hidden\" name=\"role\" value=\"").append(BrowserPages.html(role.roleArn())).append("\">")
                    .append("<button type=\"submit\">").append(BrowserPages.html(role.roleName())).append("</button> in account ")
                    .append(BrowserPages.html(account)).append("</form></li>");
        }
        page.append("</ul></body></html>");
        BrowserPages.write(response, 200, "'self'", null, page.toString());
    }
}

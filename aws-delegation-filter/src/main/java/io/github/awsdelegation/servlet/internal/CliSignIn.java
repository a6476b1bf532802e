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
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The command-line client's sign-in ({@code aws-delegation-cli login}): a signed-in browser user is shown a
 * confirmation page naming the client's loopback port and the roles, and only when the user confirms it (a
 * {@code POST} with the session's CSRF token) is answered a page that posts a signed SAML response for those roles to
 * the client's loopback callback, with the client's {@code state} echoed. The client then calls STS
 * {@code AssumeRoleWithSAML} itself. Off unless configured ({@code saml.endpoints.cli}).
 *
 * <p>Parameters: {@code callback} (required) must be {@code http://127.0.0.1:<port>/...} or
 * {@code http://[::1]:<port>/...} — an IP literal, never {@code localhost}, which may resolve to an address another
 * local user listens on (RFC 8252 §8.3); {@code state} (required) is the client's random value, 16 to 128 characters
 * of {@code [A-Za-z0-9_-]}; {@code role} (optional) narrows the response to one permitted role, whose session tags and
 * source identity then go into the assertion.
 *
 * <p>Why the confirmation: the signed response is a bearer credential for the user's roles, and any program on the
 * user's computer can ask for it by opening this URL with its own callback port. The user sees which port will
 * receive it and for which roles, and a page that lures the browser here gets no further than that page: the
 * {@code POST} needs the session's CSRF token, from the same origin. The roles offered are those console sign-in
 * offers (an IAM SAML provider as principal, no session policy or managed policies), since the client cannot add the
 * session policy the app would; an assertion naming several roles leaves out those with their own session tags or
 * source identity (they need one of their own: {@code --role}).
 */
final class CliSignIn implements Endpoint {

    /** The {@code state} the client sends: random, URL-safe. */
    static final Pattern STATE = Pattern.compile("[A-Za-z0-9_-]{16,128}");

    private final SamlEndpointSettings settings;
    private final SamlSignIn signIn;

    CliSignIn(SamlEndpointSettings settings, SamlSignIn signIn) {
        this.settings = settings;
        this.signIn = signIn;
    }

    @Override
    public String path() {
        return settings.cliPath();
    }

    @Override
    public List<String> methods() {
        return List.of("GET", "POST");
    }

    @Override
    public String usage() {
        return "open this page with GET (the client sends the browser here); its confirmation form POSTs back to it";
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean post = "POST".equals(request.getMethod());
        String callback = request.getParameter("callback");
        String callbackProblem = callbackProblem(callback);
        if (callbackProblem != null) {
            Answers.send(request, response, Problem.badRequest(callbackProblem));
            return;
        }
        String state = request.getParameter("state");
        if (state == null || !STATE.matcher(state).matches()) {
            Answers.send(request, response, Problem.badRequest(
                    "state must be 16 to 128 characters of A-Z, a-z, 0-9, '_' and '-'"));
            return;
        }
        // Sign in first when needed, then come back to this very URL (callback and state included).
        SamlSignIn.SignInRoles eligible = signIn.signInRoles(request, response,
                post ? null : settings.cliPath() + "?" + request.getQueryString(), "signing in the command-line client",
                EntryPoint.CLI_SIGN_IN);
        if (eligible == null) {
            return;
        }
        SignedInUser user = eligible.user();
        RoleDecision decision = eligible.decision();
        List<RoleGrant> roles = eligible.roles();
        String chosen = request.getParameter("role");
        if (chosen != null) {
            roles = roles.stream().filter(r -> r.roleArn().equals(chosen)).toList();
            if (roles.isEmpty()) {
                LoggerFactory.getLogger(RoleRules.REFUSALS_LOGGER).warn("CLI role refused: subject={} requested={} rule={}",
                        LogSafe.of(user.identity().subject()), LogSafe.of(chosen), decision.ruleId());
                signIn.refuse(request, response, user, decision, chosen, "that role is not one this user may use from "
                        + "the command line (rule '" + decision.ruleId() + "')", EntryPoint.CLI_SIGN_IN);
                return;
            }
        }
        if (roles.isEmpty()) {
            signIn.refuse(request, response, user, decision, null, "none of the roles rule '" + decision.ruleId()
                    + "' permits can be used from the command line: such a role needs an IAM SAML provider as principal and "
                    + "no session policy or managed policies", EntryPoint.CLI_SIGN_IN);
            return;
        }
        // One assertion goes to one partition's sign-in endpoint: the first role's.
        Partition partition = Partition.of(roles.get(0).partition());
        roles = roles.stream().filter(r -> Partition.of(r.partition()) == partition).toList();
        // An assertion of several roles cannot carry each one's tags and source identity: such roles go alone (--role).
        List<RoleGrant> alone = roles.size() > 1 ? roles.stream().filter(SamlSignIn::hasOwnScoping).toList() : List.of();
        roles = roles.stream().filter(r -> !alone.contains(r)).toList();
        if (roles.isEmpty()) {
            signIn.refuse(request, response, user, decision, null, "each role rule '" + decision.ruleId() + "' permits "
                    + "for the command line has its own session tags or source identity, which an assertion of several roles "
                    + "cannot carry: choose one with aws-delegation-cli login --role <role ARN>", EntryPoint.CLI_SIGN_IN);
            return;
        }
        URI target = URI.create(callback);
        if (!post) {
            confirmation(request, response, target, state, chosen, roles, alone);
            return;
        }
        String problem = BrowserPages.csrfProblem(request);
        if (problem != null) {
            LoggerFactory.getLogger(RoleRules.REFUSALS_LOGGER).warn("CLI sign-in refused: subject={} port={}: {}",
                    LogSafe.of(user.identity().subject()), target.getPort(), problem);
            Answers.send(request, response, Problem.accessDenied("command-line sign-in refused: " + problem
                    + "; run aws-delegation-cli login again"));
            return;
        }
        SamlResponse saml = signIn.create(request, response, user, roles, decision, EntryPoint.CLI_SIGN_IN, "CLI sign-in");
        if (saml == null) {
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("SAMLResponse", saml.encoded());
        fields.put("state", state);
        SamlSignIn.autoPost(response, target, fields, "Signing in the command-line client", "Continue to the command-line client");
    }

    // Nothing signed yet: the user sees where it would go and for which roles, and confirms with a same-origin POST.
    private void confirmation(HttpServletRequest request, HttpServletResponse response, URI callback, String state,
            String chosen, List<RoleGrant> roles, List<RoleGrant> alone) throws IOException {
        String csrf = BrowserPages.csrfToken(request);
        String action = request.getContextPath() + settings.cliPath();
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Sign in the command-line client?</title></head><body><h1>Sign in the command-line client?</h1>")
                .append("<p>A program on this computer, listening on <strong>port ").append(callback.getPort())
                .append("</strong> (").append(BrowserPages.html(callback.getScheme() + "://" + callback.getRawAuthority()))
                .append("), asks for a sign-in to AWS as you, with ").append(roles.size() == 1 ? "this role" : "these roles")
                .append(":</p><ul>");
        for (RoleGrant role : roles) {
            page.append("<li>").append(BrowserPages.html(role.roleName())).append(" in account ")
                    .append(BrowserPages.html(account(role))).append("</li>");
        }
        page.append("</ul>");
        if (!alone.isEmpty()) {
            page.append("<p>Not included, because each has its own session tags or source identity and needs a sign-in of its "
                    + "own (aws-delegation-cli login --role &lt;role ARN&gt;):</p><ul>");
            for (RoleGrant role : alone) {
                page.append("<li>").append(BrowserPages.html(role.roleName())).append(" in account ")
                        .append(BrowserPages.html(account(role))).append(": --role ").append(BrowserPages.html(role.roleArn()))
                        .append("</li>");
            }
            page.append("</ul>");
        }
        page.append("<p>Continue only if you just ran <code>aws-delegation-cli login</code> on this computer and it said it "
                        + "listens on port ").append(callback.getPort()).append(". Otherwise close this page.</p>")
                .append("<form method=\"post\" action=\"").append(BrowserPages.html(action)).append("\">")
                .append(hidden(BrowserPages.CSRF_PARAMETER, csrf))
                .append(hidden("callback", callback.toString()))
                .append(hidden("state", state));
        if (chosen != null) {
            page.append(hidden("role", chosen));
        }
        page.append("<button type=\"submit\">Sign in the command-line client on port ").append(callback.getPort())
                .append("</button></form></body></html>");
        BrowserPages.write(response, 200, "'self'", null, page.toString());
    }

    private String account(RoleGrant role) {
        return settings.accountAlias(role.accountId()).map(a -> a + " (" + role.accountId() + ")").orElse(role.accountId());
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + BrowserPages.html(name) + "\" value=\"" + BrowserPages.html(value) + "\">";
    }

    /** Tells why a callback is refused, or returns {@code null} for a loopback IP literal {@code http} URL with a port. */
    static String callbackProblem(String callback) {
        if (callback == null || callback.isBlank()) {
            return "callback is required: the command-line client's loopback URL, e.g. http://127.0.0.1:53682/saml";
        }
        URI uri;
        try {
            uri = new URI(callback);
        } catch (URISyntaxException e) {
            return "callback is not a URL";
        }
        if ("http".equals(uri.getScheme()) && "localhost".equalsIgnoreCase(uri.getHost())) {
            return "callback must name the loopback address, http://127.0.0.1:<port>/..., not localhost, which may resolve "
                    + "to an address another user of the computer listens on (RFC 8252 section 8.3): update aws-delegation-cli";
        }
        if (!"http".equals(uri.getScheme()) || uri.getRawUserInfo() != null || uri.getRawFragment() != null
                || !("127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost())) || uri.getPort() < 1
                || uri.getPort() > 65535) {
            return "callback must be http://127.0.0.1:<port>/... or http://[::1]:<port>/... (loopback only)";
        }
        return null;
    }
}

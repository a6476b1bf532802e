package io.github.awsdelegation.servlet;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.SamlEndpointSettings;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRules;
import io.github.awsdelegation.sts.Partition;
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
 * The command-line client's sign-in ({@code aws-delegation-cli login}): a signed-in browser user is answered a page
 * that posts a signed SAML response for the roles the rules permit to the client's loopback callback, with the
 * client's {@code state} echoed. The client then calls STS {@code AssumeRoleWithSAML} itself.
 *
 * <p>Query parameters: {@code callback} (required) must be {@code http://localhost:<port>/...} or
 * {@code http://127.0.0.1:<port>/...}; {@code state} (required) is the client's random value, 16 to 128 characters of
 * {@code [A-Za-z0-9_-]}; {@code role} (optional) narrows the response to one permitted role, whose session tags and
 * source identity then go into the assertion.
 *
 * <p>Why a {@code GET} without a CSRF token is safe: the response only ever goes to a loopback address, that is to a
 * program on the user's own machine, never to another site; a page that lures the browser here cannot read the
 * answer (it is a top-level navigation or a cross-origin read the browser blocks) and only the client that chose the
 * {@code state} accepts the post. The roles offered are those console sign-in offers (an IAM SAML provider as
 * principal, no session policy or managed policies), since the client cannot add the session policy the app would.
 */
final class CliSignIn {

    /** The {@code state} the client sends: random, URL-safe. */
    static final Pattern STATE = Pattern.compile("[A-Za-z0-9_-]{16,128}");

    private final DelegationService service;
    private final SamlEndpointSettings settings;
    private final ConsoleSignIn console;

    CliSignIn(DelegationService service, ConsoleSignIn console) {
        this.service = service;
        this.settings = service.config().samlEndpoints();
        this.console = console;
    }

    void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            ErrorResponses.write(request, response, 405, "method_not_allowed", "use GET to sign in the command-line client");
            return;
        }
        String callbackProblem = callbackProblem(request.getParameter("callback"));
        if (callbackProblem != null) {
            ErrorResponses.write(request, response, 400, "invalid_request", callbackProblem);
            return;
        }
        String state = request.getParameter("state");
        if (state == null || !STATE.matcher(state).matches()) {
            ErrorResponses.write(request, response, 400, "invalid_request",
                    "state must be 16 to 128 characters of A-Z, a-z, 0-9, '_' and '-'");
            return;
        }
        // Sign in first when needed, then come back to this very URL (callback and state included).
        ConsoleSignIn.SignInRoles eligible = console.signInRoles(request, response,
                settings.cliPath() + "?" + request.getQueryString(), "signing in the command-line client");
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
                LoggerFactory.getLogger(RoleRules.AUDIT_LOGGER).warn("CLI role refused: subject={} requested={} rule={}",
                        user.identity().subject(), chosen.replaceAll("[^\\x20-\\x7E]", "?"), decision.ruleId());
                ErrorResponses.write(request, response, 403, "access_denied", "that role is not one this user may use from "
                        + "the command line (rule '" + decision.ruleId() + "')");
                return;
            }
        }
        if (roles.isEmpty()) {
            ErrorResponses.write(request, response, 403, "access_denied", "none of the roles rule '" + decision.ruleId()
                    + "' permits can be used from the command line: such a role needs an IAM SAML provider as principal and "
                    + "no session policy or managed policies");
            return;
        }
        // One assertion goes to one partition's sign-in endpoint: the first role's.
        Partition partition = Partition.of(roles.get(0).partition());
        roles = roles.stream().filter(r -> Partition.of(r.partition()) == partition).toList();
        SamlResponse saml = console.create(request, response, user, roles, decision.ruleId(), "CLI sign-in");
        if (saml == null) {
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("SAMLResponse", saml.encoded());
        fields.put("state", state);
        ConsoleSignIn.autoPost(response, URI.create(request.getParameter("callback")), fields,
                "Signing in the command-line client", "Continue to the command-line client");
    }

    /** Tells why a callback is refused, or returns {@code null} for a loopback {@code http} URL with a port. */
    static String callbackProblem(String callback) {
        if (callback == null || callback.isBlank()) {
            return "callback is required: the command-line client's loopback URL, e.g. http://localhost:12200/saml";
        }
        URI uri;
        try {
            uri = new URI(callback);
        } catch (URISyntaxException e) {
            return "callback is not a URL";
        }
        if (!"http".equals(uri.getScheme()) || uri.getRawUserInfo() != null || uri.getRawFragment() != null
                || !("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost())) || uri.getPort() < 1
                || uri.getPort() > 65535) {
            return "callback must be http://localhost:<port>/... or http://127.0.0.1:<port>/... (loopback only)";
        }
        return null;
    }
}

package io.github.awsdelegation.servlet;

import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.SamlEndpointSettings;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRules;
import io.github.awsdelegation.scope.RoleSessionNames;
import io.github.awsdelegation.scope.ScopeRejectedException;
import io.github.awsdelegation.plan.SessionPlan;
import io.github.awsdelegation.scope.SessionScope;
import io.github.awsdelegation.sts.Partition;
import io.github.awsdelegation.sts.saml.SamlAssertionFactory;
import io.github.awsdelegation.sts.saml.SamlResponse;
import io.github.awsdelegation.token.TokenRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
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
final class ConsoleSignIn {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSignIn.class);

    private final DelegationService service;
    private final DelegationConfig config;
    private final SamlEndpointSettings settings;
    private final SamlAssertionFactory assertions;
    private final OidcLogin login;

    ConsoleSignIn(DelegationService service, SamlAssertionFactory assertions, OidcLogin login) {
        this.service = service;
        this.config = service.config();
        this.settings = config.samlEndpoints();
        this.assertions = assertions;
        this.login = login;
    }

    void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean post = "POST".equals(request.getMethod());
        if (!post && !"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, POST");
            ErrorResponses.write(request, response, 405, "method_not_allowed", "use GET to start console sign-in");
            return;
        }
        SignInRoles eligible = signInRoles(request, response, post ? null : settings.consolePath(),
                "signing in to the AWS console", EntryPoint.CONSOLE_SIGN_IN);
        if (eligible == null) {
            return;
        }
        SignedInUser user = eligible.user();
        RoleDecision decision = eligible.decision();
        List<RoleGrant> roles = eligible.roles();
        if (roles.isEmpty()) {
            refuse(request, response, user, decision, null, "none of the roles rule '" + decision.ruleId()
                    + "' permits can be used for the AWS console: a console role needs an IAM SAML provider as principal and "
                    + "no session policy or managed policies", EntryPoint.CONSOLE_SIGN_IN);
            return;
        }
        if (post) {
            String problem = BrowserPages.csrfProblem(request);
            if (problem != null) {
                LOG.warn("Console sign-in refused for {}: {}", LogSafe.of(user.identity().subject()), problem);
                ErrorResponses.write(request, response, 403, "access_denied", "console sign-in refused: " + problem
                        + "; start again at " + request.getContextPath() + settings.consolePath());
                return;
            }
            String chosen = request.getParameter("role");
            RoleGrant role = chosen == null ? null : roles.stream().filter(r -> r.roleArn().equals(chosen)).findFirst().orElse(null);
            if (role == null) {
                LoggerFactory.getLogger(RoleRules.AUDIT_LOGGER).warn("Console role refused: subject={} requested={} rule={}",
                        user.identity().subject(), chosen == null ? "none" : chosen.replaceAll("[^\\x20-\\x7E]", "?"), decision.ruleId());
                refuse(request, response, user, decision, chosen, "that role is not one this user may use for the "
                        + "AWS console (rule '" + decision.ruleId() + "')", EntryPoint.CONSOLE_SIGN_IN);
                return;
            }
            signIn(request, response, user, List.of(role), decision);
            return;
        }
        if (roles.size() == 1) {
            signIn(request, response, user, roles, decision);
        } else if (settings.roleChooser() == SamlEndpointSettings.RoleChooser.AWS
                && roles.stream().noneMatch(ConsoleSignIn::hasOwnScoping)) {
            Partition partition = Partition.of(roles.get(0).partition());
            signIn(request, response, user, roles.stream().filter(r -> Partition.of(r.partition()) == partition).toList(),
                    decision);
        } else {
            // With roleChooser: aws too, when a role has its own tags or source identity: an assertion of several roles
            // cannot carry them, so AWS's chooser would hand that role out without them.
            chooser(request, response, roles);
        }
    }

    /**
     * The signed-in user, the rules' decision and the roles a SAML sign-in (console or command line) may offer:
     * shared by both. Returns {@code null} when an answer was sent instead: the login (to {@code returnPath}, when
     * given and the built-in login is on), or an error.
     */
    SignInRoles signInRoles(HttpServletRequest request, HttpServletResponse response, String returnPath, String purpose,
            EntryPoint entryPoint) throws IOException {
        SignedInUser user;
        try {
            user = SignedInUser.of(service, request, false);
        } catch (TokenRejectedException e) {
            user = null;
        } catch (DelegationException e) {
            ErrorResponses.send(request, response, e);
            return null;
        }
        if (user == null) {
            if (login != null && returnPath != null) {
                login.login(request, response, returnPath); // sign in first, then come back
                return null;
            }
            ErrorResponses.write(request, response, 401, "login_required", "sign in to this app before " + purpose
                    + (login == null ? "" : " (" + request.getContextPath() + config.login().loginPath() + ")"));
            return null;
        }
        RoleDecision decision;
        try {
            decision = service.decider().permittedRoles(user.identity(), entryPoint);
        } catch (RoleDeniedException e) {
            ErrorResponses.send(request, response, e);
            return null;
        }
        return new SignInRoles(user, decision,
                decision.permitted().stream().filter(ConsoleSignIn::offeredForConsole).toList());
    }

    /** What {@link #signInRoles} found. */
    record SignInRoles(SignedInUser user, RoleDecision decision, List<RoleGrant> roles) {
    }

    /** Answers 403 for a role the sign-in does not offer the user, reported through the role decider. */
    void refuse(HttpServletRequest request, HttpServletResponse response, SignedInUser user, RoleDecision decision,
            String requestedRole, String message, EntryPoint entryPoint) throws IOException {
        ErrorResponses.send(request, response, service.decider().refuse(user.identity(), decision.ruleId(), null,
                requestedRole, new RoleDeniedException(message, decision.ruleId()), entryPoint));
    }

    /**
     * Whether a role can be used for the console: it has a SAML provider, and no session policy or managed session
     * policies, which a console session cannot carry (the user would get more than the API gives).
     */
    static boolean offeredForConsole(RoleGrant role) {
        return role.samlProviderArn().isPresent() && role.sessionPolicy() == null && role.scope().managedPolicies().isEmpty();
    }

    /**
     * Whether a role has scoping of its own that goes into the assertion (session tags, transitive tag keys, source
     * identity): such a role is only ever signed in an assertion of its own. An assertion naming several roles has one
     * set of attributes for all of them, so it would hand the role out without its tags and source identity.
     */
    static boolean hasOwnScoping(RoleGrant role) {
        return !role.scope().tags().isEmpty() || !role.scope().transitiveTagKeys().isEmpty() || role.scope().sourceIdentity() != null;
    }

    private void signIn(HttpServletRequest request, HttpServletResponse response, SignedInUser user, List<RoleGrant> roles,
            RoleDecision decision) throws IOException {
        SamlResponse saml = create(request, response, user, roles, decision, EntryPoint.CONSOLE_SIGN_IN, "Console sign-in");
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
        autoPost(response, target, fields, "Signing in to the AWS console", "Continue to the AWS console");
    }

    /**
     * Creates the signed response for a user and roles, or answers the error and returns {@code null}. With one role,
     * its session tags and source identity go into the assertion as for the API; an assertion offering several roles
     * carries only the configured saml attributes, so it never names a role with scoping of its own
     * ({@link #hasOwnScoping}): the callers leave such roles out, and this refuses them as a last guard.
     */
    SamlResponse create(HttpServletRequest request, HttpServletResponse response, SignedInUser user, List<RoleGrant> roles,
            RoleDecision decision, EntryPoint entryPoint, String purpose) throws IOException {
        if (roles.size() > 1 && roles.stream().anyMatch(ConsoleSignIn::hasOwnScoping)) {
            throw new IllegalStateException("a role with its own session tags or source identity in an assertion of several roles");
        }
        SamlResponse saml;
        try {
            // One role is planned as for the API (its scope rendered, a refusal reported); several share the first's duration.
            SessionPlan plan = roles.size() == 1 ? service.planner().plan(user.identity(), new RoleDecision(roles.get(0),
                    decision.permitted(), decision.ruleId(), decision.reason(), true), entryPoint) : null;
            Duration duration = plan != null ? plan.duration() : service.planner().durationFor(roles.get(0));
            SessionScope scope = plan != null ? plan.scope() : SessionScope.none();
            try {
                saml = assertions.create(user.identity(), roles, RoleSessionNames.of(user.identity().subject()), duration, scope);
            } catch (ScopeRejectedException e) {
                throw service.decider().refuse(user.identity(), decision.ruleId(), roles.get(0).roleArn(), null, e, entryPoint);
            }
        } catch (ConfigurationException | IllegalArgumentException e) {
            // A rule in code granted a role whose scoping cannot work; the configuration's roles are checked at start-up.
            LOG.error("{} for role {} failed: {}", purpose, roles.get(0).roleArn(), LogSafe.of(e.getMessage()));
            ErrorResponses.write(request, response, 500, "server_error",
                    "the role's scoping is misconfigured; the server log says how to fix it");
            return null;
        } catch (DelegationException e) {
            ErrorResponses.send(request, response, e);
            return null;
        }
        LOG.info("{}: subject={} roles={} assertion={} recipient={}", purpose, LogSafe.of(user.identity().subject()),
                roles.stream().map(RoleGrant::roleArn).toList(), saml.assertionId(), saml.recipient());
        return saml;
    }

    /**
     * Answers a page whose form the browser submits at once to {@code target} (SAML HTTP POST binding), with the
     * page's content security policy letting the form go to that origin only.
     */
    static void autoPost(HttpServletResponse response, URI target, Map<String, String> fields, String title, String button)
            throws IOException {
        String nonce = BrowserPages.random();
        StringBuilder page = new StringBuilder()
                .append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(BrowserPages.html(title))
                .append("</title></head><body>")
                .append("<form id=\"aws-sign-in\" method=\"post\" action=\"").append(BrowserPages.html(target.toString())).append("\">");
        fields.forEach((name, value) -> page.append("<input type=\"hidden\" name=\"").append(BrowserPages.html(name))
                .append("\" value=\"").append(BrowserPages.html(value)).append("\">"));
        page.append("<noscript><p>JavaScript is off: press the button to continue.</p></noscript>")
                .append("<button type=\"submit\">").append(BrowserPages.html(button)).append("</button></form>")
                .append("<script nonce=\"").append(nonce).append("\">document.getElementById('aws-sign-in').submit();</script>")
                .append("</body></html>");
        BrowserPages.write(response, 200, origin(target), nonce, page.toString());
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

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}

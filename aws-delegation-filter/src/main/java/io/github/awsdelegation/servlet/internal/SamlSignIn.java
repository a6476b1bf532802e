package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.AccessDeniedException;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.plan.SessionPlan;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.scope.internal.RoleSessionNames;
import io.github.awsdelegation.scope.ScopeRejectedException;
import io.github.awsdelegation.scope.SessionScope;
import io.github.awsdelegation.sts.saml.SamlAssertionFactory;
import io.github.awsdelegation.sts.saml.SamlResponse;
import io.github.awsdelegation.token.TokenRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What console sign-in and the command-line client's sign-in share: the signed-in user and the roles a SAML sign-in
 * may offer, the signed response for them, and the page that posts it (SAML 2.0 HTTP POST binding).
 */
final class SamlSignIn {

    private static final Logger LOG = LoggerFactory.getLogger(SamlSignIn.class);

    private final DelegationService service;
    private final DelegationConfig config;
    private final SamlAssertionFactory assertions;
    private final OidcLogin login;
    private final Authenticator authenticator;

    SamlSignIn(DelegationService service, SamlAssertionFactory assertions, OidcLogin login, Authenticator authenticator) {
        this.service = service;
        this.config = service.config();
        this.assertions = assertions;
        this.login = login;
        this.authenticator = authenticator;
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
            user = authenticator.authenticate(request, false);
        } catch (TokenRejectedException e) {
            user = null; // signed out, or the session ended: sign in (again)
        } catch (DelegationException e) {
            Answers.send(request, response, e);
            return null;
        }
        if (user == null) {
            if (login != null && returnPath != null) {
                login.login(request, response, returnPath); // sign in first, then come back
                return null;
            }
            Answers.send(request, response, Problem.of(401, "login_required", "sign in to this app before " + purpose
                    + (login == null ? "" : " (" + request.getContextPath() + config.login().loginPath() + ")")));
            return null;
        }
        RoleDecision decision;
        try {
            decision = service.decider().permittedRoles(user.identity(), entryPoint);
        } catch (AccessDeniedException e) {
            Answers.send(request, response, e);
            return null;
        }
        return new SignInRoles(user, decision,
                decision.permitted().stream().filter(SamlSignIn::offeredForConsole).toList());
    }

    /** What {@link #signInRoles} found. */
    record SignInRoles(SignedInUser user, RoleDecision decision, List<RoleGrant> roles) {
    }

    /** Answers 403 for a role the sign-in does not offer the user, reported through the role decider. */
    void refuse(HttpServletRequest request, HttpServletResponse response, SignedInUser user, RoleDecision decision,
            String requestedRole, String message, EntryPoint entryPoint) throws IOException {
        Answers.send(request, response, service.decider().refuse(user.identity(), decision.ruleId(), null, requestedRole,
                new RoleDeniedException(message, decision.ruleId()), entryPoint));
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

    /**
     * Creates the signed response for a user and roles, or answers the error and returns {@code null}. With one role,
     * its session tags and source identity go into the assertion as for the API; an assertion offering several roles
     * carries only the configured saml attributes, so it never names a role with scoping of its own
     * ({@link #hasOwnScoping}): the callers leave such roles out, and this refuses them as a last guard.
     */
    SamlResponse create(HttpServletRequest request, HttpServletResponse response, SignedInUser user, List<RoleGrant> roles,
            RoleDecision decision, EntryPoint entryPoint, String purpose) throws IOException {
        if (roles.size() > 1 && roles.stream().anyMatch(SamlSignIn::hasOwnScoping)) {
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
            Answers.send(request, response, Problem.serverError(
                    "the role's scoping is misconfigured; the server log says how to fix it"));
            return null;
        } catch (DelegationException e) {
            Answers.send(request, response, e);
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


    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}

package io.github.awsdelegation.servlet.internal;

import com.nimbusds.oauth2.sdk.id.State;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.LoginSettings;
import io.github.awsdelegation.token.IdTokenValidator;
import io.github.awsdelegation.token.IssuerUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in login's sign-out, {@code login.logoutPath}: a POST from the app's own pages only
 * ({@link CrossSiteRequests}) ends the session, which drops the user's credentials, and signs out at the provider
 * with OIDC RP-Initiated Logout 1.0 (or Auth0's {@code /v2/logout} where the provider has no
 * {@code end_session_endpoint}), whose endpoint comes from the validator's discovery. A GET answers a page whose button
 * makes that POST.
 */
final class OidcLogout implements Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(OidcLogout.class);

    private final DelegationConfig config;
    private final LoginSettings settings;
    private final IdTokenValidator validator;

    OidcLogout(DelegationService service) {
        this.config = service.config();
        this.settings = config.login();
        this.validator = service.validator();
    }

    @Override
    public String path() {
        return settings.logoutPath();
    }

    @Override
    public List<String> methods() {
        return List.of("GET", "HEAD", "POST");
    }

    @Override
    public String usage() {
        return "sign out with a POST to " + settings.logoutPath();
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            // Old links keep working: a page whose button makes the POST, which a cross-site page cannot forge.
            String action = request.getContextPath() + settings.logoutPath();
            BrowserPages.write(response, 200, formAction(), null, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<title>Sign out</title></head><body><h1>Sign out</h1><form method=\"post\" action=\""
                    + BrowserPages.html(action) + "\"><button type=\"submit\">Sign out</button></form></body></html>");
            return;
        }
        // The app's one cross-site policy (Sec-Fetch-Site, else Origin, else Referer; request.allowedOrigins): another
        // site cannot sign the user out.
        if (!CrossSiteRequests.check(request, response, config.request().allowedOrigins())) {
            return;
        }
        HttpSession session = request.getSession(false);
        String idTokenHint = null;
        if (session != null) {
            if (session.getAttribute(RelyingPartySession.ATTRIBUTE) instanceof RelyingPartySession rp) {
                idTokenHint = rp.idToken();
            }
            try {
                // Invalidation unbinds SessionEviction, which drops the user's cached credentials.
                SessionEviction.loggingOut(session);
                session.invalidate();
            } catch (IllegalStateException alreadyInvalidated) {
                // Another request ended it meanwhile.
            }
        }
        URI after = OidcLogin.absolute(request, settings.afterLogout());
        response.setHeader("Cache-Control", "no-store");
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", endSessionRedirect(after, idTokenHint).toString());
    }

    /**
     * Where the browser signs out at the provider: OIDC RP-Initiated Logout 1.0 at the discovered
     * {@code end_session_endpoint} with {@code id_token_hint}, {@code post_logout_redirect_uri}, {@code client_id} and
     * {@code state}; else, for an Auth0 tenant ({@code *.auth0.com}) without that endpoint, Auth0's
     * {@code /v2/logout?client_id=&returnTo=}; else (no known endpoint) straight to {@code after}.
     */
    URI endSessionRedirect(URI after, String idTokenHint) {
        URI endSession = null;
        try {
            endSession = validator.discovery().endSessionEndpoint();
        } catch (IssuerUnavailableException e) {
            LOG.debug("No end-session endpoint known for {}: {}", config.oidc().issuer(), e.getMessage());
        }
        if (endSession != null) {
            String q = (idTokenHint == null ? "" : "id_token_hint=" + OidcLogin.enc(idTokenHint) + "&")
                    + "post_logout_redirect_uri=" + OidcLogin.enc(after.toString()) + "&client_id=" + OidcLogin.enc(config.oidc().clientId())
                    + "&state=" + OidcLogin.enc(new State().getValue());
            return URI.create(endSession + (endSession.getRawQuery() == null ? "?" : "&") + q);
        }
        String host = config.oidc().issuer().getHost() == null ? "" : config.oidc().issuer().getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".auth0.com")) {
            return URI.create(config.oidc().issuer().resolve("/v2/logout") + "?client_id=" + OidcLogin.enc(config.oidc().clientId()) + "&returnTo="
                    + OidcLogin.enc(after.toString()));
        }
        return after;
    }

    private String formAction() {
        URI endSession;
        try {
            endSession = validator.discovery().endSessionEndpoint();
        } catch (IssuerUnavailableException e) {
            endSession = null;
        }
        if (endSession == null && config.oidc().issuer().getHost() != null
                && config.oidc().issuer().getHost().toLowerCase(Locale.ROOT).endsWith(".auth0.com")) {
            endSession = config.oidc().issuer();
        }
        // CSP form-action also governs the redirect that follows the POST.
        return endSession == null ? "'self'" : "'self' " + endSession.getScheme() + "://" + endSession.getRawAuthority();
    }
}

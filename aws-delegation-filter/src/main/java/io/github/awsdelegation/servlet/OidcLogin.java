package io.github.awsdelegation.servlet;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.DelegationConfig.LoginSettings;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in OIDC login: authorization code flow with PKCE and a nonce (OIDC Core §3.1, RFC 7636),
 * using the Nimbus OAuth 2.0 SDK. {@code /login} sends the browser to the provider, {@code /callback}
 * exchanges the code and keeps the ID token in the HTTP session, {@code /logout} ends the session, drops
 * the user's credentials and signs out at the provider when it has an end-session endpoint.
 */
final class OidcLogin {

    /** The session attribute holding the nonce the login sent; the filter checks tokens against it. */
    static final String NONCE_ATTRIBUTE = "io.github.awsdelegation.nonce";

    private static final String PENDING_ATTRIBUTE = "io.github.awsdelegation.pending-login";
    private static final int HTTP_TIMEOUT_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(OidcLogin.class);

    private final DelegationService service;
    private final DelegationConfig config;
    private final LoginSettings settings;
    private volatile OIDCProviderMetadata metadata;

    OidcLogin(DelegationService service) {
        this.service = service;
        this.config = service.config();
        this.settings = config.login();
    }

    /** Fetches the provider's metadata now, so that a wrong issuer shows at start-up; warns when unreachable. */
    void discover() {
        try {
            metadata();
        } catch (IOException | GeneralException | RuntimeException e) {
            LOG.warn("OIDC discovery of {} failed at start-up ({}); the login will retry on first use", config.issuer(), e.getMessage());
        }
    }

    /** Handles the request when it is one of the login endpoints; returns whether it was. */
    boolean handle(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (path.equals(settings.loginPath())) {
            login(request, response, safeReturnPath(request.getParameter("return_to")));
            return true;
        }
        if (path.equals(settings.callbackPath())) {
            callback(request, response);
            return true;
        }
        if (path.equals(settings.logoutPath())) {
            logout(request, response);
            return true;
        }
        return false;
    }

    /** Starts a login that comes back to the given context-relative path. */
    void login(HttpServletRequest request, HttpServletResponse response, String returnPath) throws IOException {
        OIDCProviderMetadata meta;
        try {
            meta = metadata();
        } catch (IOException | GeneralException e) {
            response.setHeader("Retry-After", "5");
            ErrorResponses.write(request, response, 503, "temporarily_unavailable",
                    "the sign-in provider " + config.issuer() + " cannot be reached; try again shortly");
            return;
        }
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        request.getSession(true).setAttribute(PENDING_ATTRIBUTE,
                new PendingLogin(state.getValue(), nonce.getValue(), verifier.getValue(), returnPath));
        URI uri = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(settings.scopes().toArray(String[]::new)),
                new ClientID(config.clientId()), redirectUri(request))
                .endpointURI(meta.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(uri.toString());
    }

    private void callback(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(false);
        PendingLogin pending = session == null ? null : (PendingLogin) session.getAttribute(PENDING_ATTRIBUTE);
        if (pending == null) {
            ErrorResponses.write(request, response, 400, "invalid_request",
                    "no sign-in is in progress in this browser session (cookies off, or the session expired); start again at "
                            + request.getContextPath() + settings.loginPath());
            return;
        }
        session.removeAttribute(PENDING_ATTRIBUTE); // one use only
        AuthenticationResponse authResponse;
        try {
            String query = request.getQueryString();
            authResponse = AuthenticationResponseParser.parse(URI.create(redirectUri(request) + (query == null ? "" : "?" + query)));
        } catch (ParseException | IllegalArgumentException e) {
            ErrorResponses.write(request, response, 400, "invalid_request", "the sign-in response cannot be parsed");
            return;
        }
        if (!pending.state().equals(authResponse.getState() == null ? null : authResponse.getState().getValue())) {
            ErrorResponses.write(request, response, 400, "invalid_request",
                    "the sign-in response does not belong to this browser session (state mismatch); start again");
            return;
        }
        if (!authResponse.indicatesSuccess()) {
            ErrorObject error = authResponse.toErrorResponse().getErrorObject();
            ErrorResponses.write(request, response, 401, "access_denied", "the sign-in provider refused: " + error.getCode()
                    + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")"));
            return;
        }
        AuthorizationCode code = ((AuthenticationSuccessResponse) authResponse).getAuthorizationCode();
        String idToken;
        try {
            idToken = exchange(request, code, new CodeVerifier(pending.codeVerifier()));
        } catch (IOException | GeneralException e) {
            LOG.warn("Token exchange with {} failed: {}", config.issuer(), e.getMessage());
            response.setHeader("Retry-After", "5");
            ErrorResponses.write(request, response, 503, "temporarily_unavailable",
                    "the sign-in provider's token endpoint cannot be reached; try again shortly");
            return;
        } catch (LoginFailedException e) {
            ErrorResponses.write(request, response, 401, "access_denied", e.getMessage());
            return;
        }
        VerifiedIdentity identity;
        try {
            identity = service.validator().validate(idToken, pending.nonce());
        } catch (DelegationException e) {
            ErrorResponses.send(request, response, e);
            return;
        }
        request.changeSessionId(); // a new session id for the signed-in user (session fixation)
        session.setAttribute(config.request().sessionAttribute(), idToken);
        session.setAttribute(NONCE_ATTRIBUTE, pending.nonce());
        LOG.info("Signed in: subject={} connection={}/{}", io.github.awsdelegation.internal.LogSafe.of(identity.subject()),
                identity.connectionType().configName(), io.github.awsdelegation.internal.LogSafe.of(identity.connectionName()));
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(request.getContextPath() + pending.returnPath());
    }

    private String exchange(HttpServletRequest request, AuthorizationCode code, CodeVerifier verifier)
            throws IOException, GeneralException, LoginFailedException {
        OIDCProviderMetadata meta = metadata();
        AuthorizationCodeGrant grant = new AuthorizationCodeGrant(code, redirectUri(request), verifier);
        TokenRequest tokenRequest = settings.clientSecret() == null
                ? new TokenRequest(meta.getTokenEndpointURI(), new ClientID(config.clientId()), grant)
                : new TokenRequest(meta.getTokenEndpointURI(),
                        new ClientSecretBasic(new ClientID(config.clientId()), new Secret(settings.clientSecret())), grant);
        HTTPRequest http = tokenRequest.toHTTPRequest();
        http.setConnectTimeout(HTTP_TIMEOUT_MILLIS);
        http.setReadTimeout(HTTP_TIMEOUT_MILLIS);
        TokenResponse tokenResponse = OIDCTokenResponseParser.parse(http.send());
        if (!tokenResponse.indicatesSuccess()) {
            ErrorObject error = tokenResponse.toErrorResponse().getErrorObject();
            throw new LoginFailedException("the sign-in provider refused the code: " + error.getCode()
                    + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")"));
        }
        String idToken = ((OIDCTokenResponse) tokenResponse.toSuccessResponse()).getOIDCTokens().getIDTokenString();
        if (idToken == null) {
            throw new LoginFailedException("the sign-in provider returned no ID token (is 'openid' among the scopes?)");
        }
        return idToken;
    }

    private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(false);
        if (session != null) {
            // Invalidation unbinds SessionEviction, which drops the user's cached credentials.
            session.invalidate();
        }
        URI after = absolute(request, settings.afterLogout());
        URI endSession = null;
        try {
            endSession = metadata().getEndSessionEndpointURI();
        } catch (IOException | GeneralException e) {
            LOG.debug("No end-session endpoint known for {}: {}", config.issuer(), e.getMessage());
        }
        response.setHeader("Cache-Control", "no-store");
        if (endSession == null) {
            response.sendRedirect(after.toString());
            return;
        }
        String q = "client_id=" + enc(config.clientId()) + "&post_logout_redirect_uri=" + enc(after.toString())
                + "&returnTo=" + enc(after.toString()); // returnTo: Auth0's /v2/logout
        response.sendRedirect(endSession + (endSession.getQuery() == null ? "?" : "&") + q);
    }

    private OIDCProviderMetadata metadata() throws IOException, GeneralException {
        OIDCProviderMetadata meta = metadata;
        if (meta == null) {
            meta = OIDCProviderMetadata.resolve(new Issuer(config.issuer()), HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS);
            metadata = meta;
        }
        return meta;
    }

    private URI redirectUri(HttpServletRequest request) {
        return settings.redirectUri() != null ? settings.redirectUri() : absolute(request, settings.callbackPath());
    }

    private static URI absolute(HttpServletRequest request, String path) {
        StringBuilder url = new StringBuilder().append(request.getScheme()).append("://").append(request.getServerName());
        int port = request.getServerPort();
        if (!(port == 80 && "http".equals(request.getScheme())) && !(port == 443 && "https".equals(request.getScheme()))) {
            url.append(':').append(port);
        }
        return URI.create(url.append(request.getContextPath()).append(path).toString());
    }

    /** Keeps only context-relative paths, so a login link cannot send the user elsewhere (open redirect). */
    String safeReturnPath(String candidate) {
        return safeReturnPath(candidate, settings.afterLogin());
    }

    static String safeReturnPath(String candidate, String fallback) {
        if (candidate == null || !candidate.startsWith("/") || candidate.startsWith("//") || candidate.contains("\\")
                || candidate.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            return fallback;
        }
        return candidate;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** What the login keeps in the session between /login and /callback. */
    private record PendingLogin(String state, String nonce, String codeVerifier, String returnPath) implements Serializable {

        @Override
        public String toString() {
            return "PendingLogin[returnPath=" + returnPath + "]";
        }
    }

    private static final class LoginFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        LoginFailedException(String message) {
            super(message);
        }
    }
}

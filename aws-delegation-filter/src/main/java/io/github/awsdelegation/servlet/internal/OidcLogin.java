package io.github.awsdelegation.servlet.internal;

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
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import io.github.awsdelegation.token.IssuerMisconfiguredException;
import io.github.awsdelegation.token.IssuerUnavailableException;
import java.util.List;
import java.time.Clock;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.token.IdTokenValidator;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.LoginSettings;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in OIDC login: authorization code flow with PKCE and a nonce (OIDC Core §3.1, RFC 7636), using the Nimbus
 * OAuth 2.0 SDK, and the relying-party session it starts.
 *
 * <ul>
 * <li>{@code /login} sends the browser to the provider. It creates no server state: the pending login travels in a
 *     cookie ({@link PendingLogins}).</li>
 * <li>{@code /callback} compares the returned {@code state} with a pending login before it consumes anything (so a
 *     forged callback cannot cancel the real one), exchanges the code, validates the ID token once and starts a
 *     {@link RelyingPartySession} in a new HTTP session.</li>
 * <li>{@link #refresh} renews the ID token with the refresh token (RFC 6749 §6), keeping a rotated refresh token.</li>
 * <li>{@code /logout} ({@link OidcLogout}) ends the session and signs out at the provider.</li>
 * </ul>
 * The provider's endpoints come from the validator's discovery ({@link IdTokenValidator#discovery()}): one document,
 * one failure memory (an unreachable provider does not hold a thread per login for the HTTP timeout), and the
 * validator's HTTP timeouts for the token requests too.
 */
public final class OidcLogin implements RelyingPartySession.TokenRefresher {

    private static final Logger LOG = LoggerFactory.getLogger(OidcLogin.class);

    private final DelegationService service;
    private final DelegationConfig config;
    private final LoginSettings settings;
    private final Clock clock;
    private final PendingLogins pendingLogins;
    private final IdTokenValidator validator;
    // Seals the tokens the session keeps, under login.encryptionKey; null without one.
    private final LoginKeys.TokenSealer sealer;

    /** Creates the login; its endpoints are {@link #endpoints()}. */
    public OidcLogin(DelegationService service, Clock clock) {
        this.service = service;
        this.config = service.config();
        this.settings = config.login();
        this.validator = service.validator();
        this.clock = clock;
        this.pendingLogins = new PendingLogins(settings.callbackPath(), clock, LoginKeys.cookieKey(settings));
        this.sealer = LoginKeys.sessionSealer(settings);
        if (settings.encryptionKey() == null && config.cache() != null && !config.cache().local()) {
            // A clustered store says the app runs on several nodes: each would have its own cookie key.
            LOG.warn("login.encryptionKey is not set while cache.store is {}: each node makes its own key, so a sign-in"
                    + " that comes back to another node than it started on fails, and sessions are serialized with their"
                    + " tokens unencrypted. Give every node the same key (openssl rand -base64 32; docs/cluster.md).",
                    config.cache().store());
        }
    }

    /** Fetches the provider's metadata now, so that a wrong issuer shows at start-up; warns when unreachable. */
    public void discover() {
        try {
            validator.discovery();
        } catch (IssuerUnavailableException e) {
            LOG.warn("OIDC discovery of {} failed at start-up ({}); the login will retry on first use", config.oidc().issuer(), e.getMessage());
        }
    }

    /** Returns the sign-in, callback and sign-out ({@link OidcLogout}) endpoints. */
    public List<Endpoint> endpoints() {
        List<String> any = List.of("GET", "HEAD", "POST");
        return List.of(
                Endpoint.of(settings.loginPath(), any, "use GET to sign in",
                        (request, response) -> login(request, response, safeReturnPath(request.getParameter("return_to")))),
                Endpoint.of(settings.callbackPath(), any, "the sign-in provider sends the browser here with GET",
                        this::callback),
                new OidcLogout(service));
    }

    /** Starts a login that comes back to the given context-relative path. */
    public void login(HttpServletRequest request, HttpServletResponse response, String returnPath) throws IOException {
        URI authorizationEndpoint;
        try {
            authorizationEndpoint = endpoint(validator.discovery().authorizationEndpoint(), "authorization_endpoint");
        } catch (IssuerUnavailableException e) {
            Answers.send(request, response, Problem.unavailable("the sign-in provider " + config.oidc().issuer()
                    + " cannot be reached; try again shortly", e.retryAfter()));
            return;
        }
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        response.addCookie(pendingLogins.start(request, state.getValue(), nonce.getValue(), verifier.getValue(), returnPath));
        URI uri = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(settings.requestedScopes().toArray(String[]::new)),
                new ClientID(config.oidc().clientId()), redirectUri(request))
                .endpointURI(authorizationEndpoint)
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(uri.toString());
    }

    private void callback(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AuthenticationResponse authResponse;
        try {
            String query = request.getQueryString();
            authResponse = AuthenticationResponseParser.parse(URI.create(redirectUri(request) + (query == null ? "" : "?" + query)));
        } catch (ParseException | IllegalArgumentException e) {
            Answers.send(request, response, Problem.badRequest("the sign-in response cannot be parsed"));
            return;
        }
        String state = authResponse.getState() == null ? null : authResponse.getState().getValue();
        PendingLogins.PendingLogin pending = state == null ? null : pendingLogins.find(request, state);
        if (pending == null) {
            // Nothing is consumed: a forged or stale callback leaves the real sign-in in progress untouched.
            Answers.send(request, response, Problem.badRequest(
                    "the sign-in response does not belong to a sign-in in progress in this browser (state unknown, "
                            + "expired, or cookies off); start again at " + request.getContextPath() + settings.loginPath()));
            return;
        }
        response.addCookie(pendingLogins.consumed(request, state)); // one use only, now that the state matched
        if (!authResponse.indicatesSuccess()) {
            ErrorObject error = authResponse.toErrorResponse().getErrorObject();
            Answers.send(request, response, Problem.of(401, "access_denied", "the sign-in provider refused: "
                    + error.getCode() + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")")));
            return;
        }
        AuthorizationCode code = ((AuthenticationSuccessResponse) authResponse).getAuthorizationCode();
        OIDCTokenResponse tokens;
        try {
            tokens = tokenRequest(request, new AuthorizationCodeGrant(code, redirectUri(request), new CodeVerifier(pending.codeVerifier())),
                    "the code");
        } catch (IOException | GeneralException e) {
            LOG.warn("Token exchange with {} failed: {}", config.oidc().issuer(), e.getMessage());
            Answers.send(request, response, Problem.unavailable(
                    "the sign-in provider's token endpoint cannot be reached; try again shortly",
                    IssuerUnavailableException.DEFAULT_RETRY_AFTER));
            return;
        } catch (IssuerUnavailableException e) {
            Answers.send(request, response, e);
            return;
        } catch (LoginFailedException e) {
            Answers.send(request, response, Problem.of(401, "access_denied", e.getMessage()));
            return;
        }
        String idToken = tokens.getOIDCTokens().getIDTokenString();
        if (idToken == null) {
            Answers.send(request, response, Problem.of(401, "access_denied",
                    "the sign-in provider returned no ID token (is 'openid' among the scopes?)"));
            return;
        }
        VerifiedIdentity identity;
        try {
            identity = service.validator().validate(idToken, pending.nonce());
        } catch (DelegationException e) {
            Answers.send(request, response, e);
            return;
        }
        RefreshToken refreshToken = tokens.getOIDCTokens().getRefreshToken();
        HttpSession session = request.getSession(false);
        if (session != null) {
            if (session.getAttribute(RelyingPartySession.ATTRIBUTE) instanceof RelyingPartySession previous
                    && !(previous.issuer().equals(identity.issuer()) && previous.subject().equals(identity.subject()))) {
                session.invalidate(); // another user signs in in this browser: nothing of the previous one stays
                session = request.getSession(true);
            } else {
                request.changeSessionId(); // a new session id for the signed-in user (session fixation)
            }
        } else {
            session = request.getSession(true);
        }
        session.setMaxInactiveInterval((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toSeconds()));
        session.setAttribute(RelyingPartySession.ATTRIBUTE, new RelyingPartySession(identity, idToken,
                refreshToken == null ? null : refreshToken.getValue(), clock.instant(), sealer));
        SessionEviction.bind(session, service, identity);
        LOG.info("Signed in: subject={} connection={}/{} refreshToken={}", io.github.awsdelegation.internal.LogSafe.of(identity.subject()),
                identity.connectionType().configName(), io.github.awsdelegation.internal.LogSafe.of(identity.connectionName()),
                refreshToken != null);
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(request.getContextPath() + pending.returnPath());
    }

    /**
     * Renews the ID token with the refresh token (RFC 6749 §6), validating the new one like the first (without the
     * nonce, which a refreshed token need not carry: OIDC Core §12.2).
     */
    @Override
    public RelyingPartySession.Refreshed refresh(String refreshToken) {
        OIDCTokenResponse tokens;
        try {
            tokens = tokenRequest(null, new RefreshTokenGrant(new RefreshToken(refreshToken)), "the refresh token");
        } catch (IOException | GeneralException e) {
            LOG.warn("Refreshing the ID token at {} failed: {}", config.oidc().issuer(), e.getMessage());
            throw new IssuerUnavailableException("the sign-in provider's token endpoint cannot be reached to renew the "
                    + "sign-in; try again shortly", e);
        } catch (LoginFailedException e) {
            throw new SessionEndedException(e.getMessage() + "; sign in again");
        }
        String idToken = tokens.getOIDCTokens().getIDTokenString();
        if (idToken == null) {
            throw new SessionEndedException("the sign-in provider renewed the sign-in without a new ID token; sign in again");
        }
        VerifiedIdentity identity = validator.validate(idToken);
        RefreshToken rotated = tokens.getOIDCTokens().getRefreshToken();
        return new RelyingPartySession.Refreshed(idToken, identity, rotated == null ? null : rotated.getValue());
    }

    private OIDCTokenResponse tokenRequest(HttpServletRequest request, AuthorizationGrant grant, String what)
            throws IOException, GeneralException, LoginFailedException {
        URI tokenEndpoint = endpoint(validator.discovery().tokenEndpoint(), "token_endpoint");
        TokenRequest tokenRequest = settings.clientSecret() == null
                ? new TokenRequest(tokenEndpoint, new ClientID(config.oidc().clientId()), grant)
                : new TokenRequest(tokenEndpoint,
                        new ClientSecretBasic(new ClientID(config.oidc().clientId()), new Secret(settings.clientSecret())), grant);
        HTTPRequest http = tokenRequest.toHTTPRequest();
        http.setConnectTimeout(Math.toIntExact(validator.connectTimeout().toMillis()));
        http.setReadTimeout(Math.toIntExact(validator.readTimeout().toMillis()));
        TokenResponse tokenResponse = OIDCTokenResponseParser.parse(http.send());
        if (!tokenResponse.indicatesSuccess()) {
            ErrorObject error = tokenResponse.toErrorResponse().getErrorObject();
            if (error.getHTTPStatusCode() >= 500) {
                throw new GeneralException("the token endpoint answered " + error.getHTTPStatusCode());
            }
            throw new LoginFailedException("the sign-in provider refused " + what + ": " + error.getCode()
                    + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")"));
        }
        return (OIDCTokenResponse) tokenResponse.toSuccessResponse();
    }

    /**
     * Answers a request whose session cannot continue (or that has none): a browser navigation goes to the login and
     * comes back to {@code returnPath}; any other request gets 401 {@code login_required} with {@code WWW-Authenticate}
     * and a JSON body a script can act on, naming the login URL ({@link Problem#loginRequired}).
     */
    public void loginRequired(HttpServletRequest request, HttpServletResponse response, String reason, String returnPath)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        if (settings.redirectBrowsers() && Answers.isBrowserNavigation(request)) {
            login(request, response, safeReturnPath(returnPath));
            return;
        }
        String login = request.getContextPath() + settings.loginPath() + "?return_to=" + enc(safeReturnPath(pageOf(request)));
        Answers.send(request, response, Problem.loginRequired(reason, login), ProblemFormat.JSON);
    }

    // The page a script's request came from (same origin only), so that signing in again returns there.
    private String pageOf(HttpServletRequest request) {
        String referer = request.getHeader("Referer");
        String prefix = BrowserPages.origin(request) + request.getContextPath();
        if (referer != null && referer.startsWith(prefix + "/")) {
            return referer.substring(prefix.length());
        }
        return settings.afterLogin();
    }

    // An endpoint the login cannot do without: a discovery document without it contradicts the configuration.
    private URI endpoint(URI uri, String name) {
        if (uri == null) {
            throw new IssuerMisconfiguredException("the OIDC discovery document of issuer " + config.oidc().issuer() + " has no "
                    + name + " (an https URL), which the built-in login needs; check oidc.issuer, or switch login off");
        }
        return uri;
    }

    // --- Helpers --------------------------------------------------------------------------------------------------

    private URI redirectUri(HttpServletRequest request) {
        return settings.redirectUri() != null ? settings.redirectUri() : absolute(request, settings.callbackPath());
    }

    static URI absolute(HttpServletRequest request, String path) {
        return URI.create(BrowserPages.origin(request) + request.getContextPath() + path);
    }

    /** Keeps only context-relative paths, so a login link cannot send the user elsewhere (open redirect). */
    public String safeReturnPath(String candidate) {
        return safeReturnPath(candidate, settings.afterLogin());
    }

    static String safeReturnPath(String candidate, String fallback) {
        if (candidate == null || !candidate.startsWith("/") || candidate.startsWith("//") || candidate.contains("\\")
                || candidate.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            return fallback;
        }
        return candidate;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static final class LoginFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        LoginFailedException(String message) {
            super(message);
        }
    }
}

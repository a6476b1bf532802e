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
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import io.github.awsdelegation.token.IssuerUnavailableException;
import jakarta.servlet.http.Cookie;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.DelegationService;
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
 * <li>{@code /login} sends the browser to the provider. It creates no server state: the pending login (state, nonce,
 *     PKCE verifier, return path) travels in a short-lived cookie, encrypted and authenticated (AES-GCM) with a key
 *     the filter makes at start-up, scoped to the callback path, one per login in progress.</li>
 * <li>{@code /callback} compares the returned {@code state} with a pending login before it consumes anything (so a
 *     forged callback cannot cancel the real one), exchanges the code, validates the ID token once and starts a
 *     {@link RelyingPartySession} in a new HTTP session.</li>
 * <li>{@link #refresh} renews the ID token with the refresh token (RFC 6749 §6), keeping a rotated refresh token.</li>
 * <li>{@code /logout} is a POST from the app's own pages only ({@link CrossSiteRequests}); it ends the session, drops the user's credentials and
 *     signs out at the provider with OIDC RP-Initiated Logout 1.0 (or Auth0's {@code /v2/logout} where the provider
 *     has no {@code end_session_endpoint}). A GET answers a page whose button makes that POST.</li>
 * </ul>
 * A failed discovery is remembered for {@link #DISCOVERY_RETRY_AFTER}, so that an unreachable provider does not hold
 * a thread per login for the HTTP timeout.
 */
final class OidcLogin implements RelyingPartySession.TokenRefresher {

    /** How long a failed discovery is remembered before the next attempt: 15 seconds. */
    static final Duration DISCOVERY_RETRY_AFTER = Duration.ofSeconds(15);

    /** How long a pending login (the way to the provider and back) may take: 10 minutes. */
    static final Duration PENDING_LOGIN_LIFETIME = Duration.ofMinutes(10);

    static final String PENDING_COOKIE_PREFIX = "awsd_login_";

    private static final int HTTP_TIMEOUT_MILLIS = 5_000;
    private static final int GCM_IV_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = LoggerFactory.getLogger(OidcLogin.class);

    private final DelegationService service;
    private final DelegationConfig config;
    private final LoginSettings settings;
    private final Clock clock;
    private final SecretKey cookieKey;
    private volatile OIDCProviderMetadata metadata;
    private volatile DiscoveryFailure discoveryFailure;

    private record DiscoveryFailure(Instant until, String reason) {
    }

    OidcLogin(DelegationService service, Clock clock) {
        this.service = service;
        this.config = service.config();
        this.settings = config.login();
        this.clock = clock;
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            this.cookieKey = generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 is not available in this JVM", e);
        }
    }

    /** Fetches the provider's metadata now, so that a wrong issuer shows at start-up; warns when unreachable. */
    void discover() {
        try {
            metadata();
        } catch (IOException | GeneralException | RuntimeException e) {
            LOG.warn("OIDC discovery of {} failed at start-up ({}); the login will retry on first use", config.oidc().issuer(), e.getMessage());
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
                    "the sign-in provider " + config.oidc().issuer() + " cannot be reached; try again shortly");
            return;
        }
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        PendingLogin pending = new PendingLogin(state.getValue(), nonce.getValue(), verifier.getValue(), returnPath,
                clock.instant().plus(PENDING_LOGIN_LIFETIME));
        response.addCookie(pendingCookie(request, state.getValue(), seal(pending), (int) PENDING_LOGIN_LIFETIME.toSeconds()));
        URI uri = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(settings.requestedScopes().toArray(String[]::new)),
                new ClientID(config.oidc().clientId()), redirectUri(request))
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
        AuthenticationResponse authResponse;
        try {
            String query = request.getQueryString();
            authResponse = AuthenticationResponseParser.parse(URI.create(redirectUri(request) + (query == null ? "" : "?" + query)));
        } catch (ParseException | IllegalArgumentException e) {
            ErrorResponses.write(request, response, 400, "invalid_request", "the sign-in response cannot be parsed");
            return;
        }
        String state = authResponse.getState() == null ? null : authResponse.getState().getValue();
        PendingLogin pending = state == null ? null : pendingLogin(request, state);
        if (pending == null) {
            // Nothing is consumed: a forged or stale callback leaves the real sign-in in progress untouched.
            ErrorResponses.write(request, response, 400, "invalid_request",
                    "the sign-in response does not belong to a sign-in in progress in this browser (state unknown, "
                            + "expired, or cookies off); start again at " + request.getContextPath() + settings.loginPath());
            return;
        }
        response.addCookie(pendingCookie(request, state, "", 0)); // one use only, now that the state matched
        if (!authResponse.indicatesSuccess()) {
            ErrorObject error = authResponse.toErrorResponse().getErrorObject();
            ErrorResponses.write(request, response, 401, "access_denied", "the sign-in provider refused: " + error.getCode()
                    + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")"));
            return;
        }
        AuthorizationCode code = ((AuthenticationSuccessResponse) authResponse).getAuthorizationCode();
        OIDCTokenResponse tokens;
        try {
            tokens = tokenRequest(request, new AuthorizationCodeGrant(code, redirectUri(request), new CodeVerifier(pending.codeVerifier())),
                    "the code");
        } catch (IOException | GeneralException e) {
            LOG.warn("Token exchange with {} failed: {}", config.oidc().issuer(), e.getMessage());
            response.setHeader("Retry-After", "5");
            ErrorResponses.write(request, response, 503, "temporarily_unavailable",
                    "the sign-in provider's token endpoint cannot be reached; try again shortly");
            return;
        } catch (LoginFailedException e) {
            ErrorResponses.write(request, response, 401, "access_denied", e.getMessage());
            return;
        }
        String idToken = tokens.getOIDCTokens().getIDTokenString();
        if (idToken == null) {
            ErrorResponses.write(request, response, 401, "access_denied",
                    "the sign-in provider returned no ID token (is 'openid' among the scopes?)");
            return;
        }
        VerifiedIdentity identity;
        try {
            identity = service.validator().validate(idToken, pending.nonce());
        } catch (DelegationException e) {
            ErrorResponses.send(request, response, e);
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
                refreshToken == null ? null : refreshToken.getValue(), clock.instant()));
        if (!(session.getAttribute(SessionEviction.ATTRIBUTE) instanceof SessionEviction existing)
                || !existing.isFor(identity.issuer(), identity.subject())) {
            // Replacing it would unbind the old one and drop the credentials of the user signing in again.
            session.setAttribute(SessionEviction.ATTRIBUTE, new SessionEviction(service, identity.issuer(), identity.subject()));
        }
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
        VerifiedIdentity identity = service.validator().validate(idToken);
        RefreshToken rotated = tokens.getOIDCTokens().getRefreshToken();
        return new RelyingPartySession.Refreshed(idToken, identity, rotated == null ? null : rotated.getValue());
    }

    private OIDCTokenResponse tokenRequest(HttpServletRequest request, AuthorizationGrant grant, String what)
            throws IOException, GeneralException, LoginFailedException {
        OIDCProviderMetadata meta = metadata();
        TokenRequest tokenRequest = settings.clientSecret() == null
                ? new TokenRequest(meta.getTokenEndpointURI(), new ClientID(config.oidc().clientId()), grant)
                : new TokenRequest(meta.getTokenEndpointURI(),
                        new ClientSecretBasic(new ClientID(config.oidc().clientId()), new Secret(settings.clientSecret())), grant);
        HTTPRequest http = tokenRequest.toHTTPRequest();
        http.setConnectTimeout(HTTP_TIMEOUT_MILLIS);
        http.setReadTimeout(HTTP_TIMEOUT_MILLIS);
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
     * comes back to {@code returnPath}; any other request gets 401 with {@code WWW-Authenticate} and a JSON body a
     * script can act on: {@code {"error":"login_required","error_description":...,"login":...}}.
     */
    void loginRequired(HttpServletRequest request, HttpServletResponse response, String reason, String returnPath,
            boolean navigation) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        if (navigation && settings.redirectBrowsers()) {
            login(request, response, safeReturnPath(returnPath));
            return;
        }
        String login = request.getContextPath() + settings.loginPath() + "?return_to=" + enc(safeReturnPath(pageOf(request)));
        response.resetBuffer();
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer error=\"login_required\", error_description=\""
                + headerSafe(reason) + "\"");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType("application/json;charset=UTF-8");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"status\":401,\"error\":\"login_required\",\"error_description\":\"" + ErrorResponses.json(reason)
                + "\",\"message\":\"" + ErrorResponses.json(reason) + "\",\"login\":\"" + ErrorResponses.json(login) + "\"}");
    }

    // RFC 6750 §3: error_description is printable ASCII without '"' and '\'; kept short.
    private static String headerSafe(String s) {
        String safe = s.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "?");
        return safe.length() > 300 ? safe.substring(0, 300) : safe;
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

    // --- Sign-out -------------------------------------------------------------------------------------------------

    private void logout(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
            // Old links keep working: a page whose button makes the POST, which a cross-site page cannot forge.
            String action = request.getContextPath() + settings.logoutPath();
            BrowserPages.write(response, 200, formAction(), null, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<title>Sign out</title></head><body><h1>Sign out</h1><form method=\"post\" action=\""
                    + BrowserPages.html(action) + "\"><button type=\"submit\">Sign out</button></form></body></html>");
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, POST");
            ErrorResponses.write(request, response, 405, "invalid_request", "sign out with a POST to " + request.getContextPath()
                    + settings.logoutPath());
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
                session.invalidate();
            } catch (IllegalStateException alreadyInvalidated) {
                // Another request ended it meanwhile.
            }
        }
        URI after = absolute(request, settings.afterLogout());
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
            endSession = metadata().getEndSessionEndpointURI();
        } catch (IOException | GeneralException e) {
            LOG.debug("No end-session endpoint known for {}: {}", config.oidc().issuer(), e.getMessage());
        }
        if (endSession != null) {
            String q = (idTokenHint == null ? "" : "id_token_hint=" + enc(idTokenHint) + "&")
                    + "post_logout_redirect_uri=" + enc(after.toString()) + "&client_id=" + enc(config.oidc().clientId())
                    + "&state=" + enc(new State().getValue());
            return URI.create(endSession + (endSession.getRawQuery() == null ? "?" : "&") + q);
        }
        String host = config.oidc().issuer().getHost() == null ? "" : config.oidc().issuer().getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".auth0.com")) {
            return URI.create(config.oidc().issuer().resolve("/v2/logout") + "?client_id=" + enc(config.oidc().clientId()) + "&returnTo="
                    + enc(after.toString()));
        }
        return after;
    }

    private String formAction() {
        OIDCProviderMetadata meta = metadata;
        URI endSession = meta == null ? null : meta.getEndSessionEndpointURI();
        if (endSession == null && config.oidc().issuer().getHost() != null
                && config.oidc().issuer().getHost().toLowerCase(Locale.ROOT).endsWith(".auth0.com")) {
            endSession = config.oidc().issuer();
        }
        // CSP form-action also governs the redirect that follows the POST.
        return endSession == null ? "'self'" : "'self' " + endSession.getScheme() + "://" + endSession.getRawAuthority();
    }

    // --- Discovery ------------------------------------------------------------------------------------------------

    private OIDCProviderMetadata metadata() throws IOException, GeneralException {
        OIDCProviderMetadata meta = metadata;
        if (meta != null) {
            return meta;
        }
        DiscoveryFailure failure = discoveryFailure;
        if (failure != null && clock.instant().isBefore(failure.until())) {
            throw new IOException("discovery failed less than " + DISCOVERY_RETRY_AFTER.toSeconds() + " s ago: " + failure.reason());
        }
        try {
            meta = OIDCProviderMetadata.resolve(new Issuer(config.oidc().issuer()), HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS);
        } catch (IOException | GeneralException | RuntimeException e) {
            discoveryFailure = new DiscoveryFailure(clock.instant().plus(DISCOVERY_RETRY_AFTER), String.valueOf(e.getMessage()));
            throw e;
        }
        discoveryFailure = null;
        metadata = meta;
        return meta;
    }

    // --- Pending login cookie -------------------------------------------------------------------------------------

    private Cookie pendingCookie(HttpServletRequest request, String state, String value, int maxAgeSeconds) {
        Cookie cookie = new Cookie(cookieName(state), value);
        cookie.setPath(request.getContextPath() + settings.callbackPath());
        cookie.setHttpOnly(true);
        cookie.setSecure(request.isSecure());
        cookie.setMaxAge(maxAgeSeconds);
        cookie.setAttribute("SameSite", "Lax"); // sent on the provider's top-level redirect back to the callback
        return cookie;
    }

    // The state is URL-safe Base64 from Nimbus; anything else (a forged state) names no cookie.
    private static String cookieName(String state) {
        return PENDING_COOKIE_PREFIX + (state.matches("[A-Za-z0-9_-]{1,128}") ? state : "invalid");
    }

    private PendingLogin pendingLogin(HttpServletRequest request, String state) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null || !state.matches("[A-Za-z0-9_-]{1,128}")) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (cookie.getName().equals(cookieName(state))) {
                PendingLogin pending = open(cookie.getValue(), cookie.getName());
                if (pending != null && MessageDigest.isEqual(pending.state().getBytes(StandardCharsets.US_ASCII),
                        state.getBytes(StandardCharsets.US_ASCII)) && clock.instant().isBefore(pending.expiresAt())) {
                    return pending;
                }
            }
        }
        return null;
    }

    private String seal(PendingLogin pending) {
        try {
            byte[] iv = new byte[GCM_IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, cookieKey, new GCMParameterSpec(128, iv));
            cipher.updateAAD(cookieName(pending.state()).getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(pending.encode().getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt the pending login", e);
        }
    }

    private PendingLogin open(String value, String name) {
        try {
            byte[] in = Base64.getUrlDecoder().decode(value);
            if (in.length <= GCM_IV_BYTES + 16) {
                return null;
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, cookieKey, new GCMParameterSpec(128, in, 0, GCM_IV_BYTES));
            cipher.updateAAD(name.getBytes(StandardCharsets.US_ASCII));
            byte[] plain = cipher.doFinal(in, GCM_IV_BYTES, in.length - GCM_IV_BYTES);
            return PendingLogin.decode(new String(plain, StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null; // tampered, from another start of the app, or not ours
        }
    }

    // --- Helpers --------------------------------------------------------------------------------------------------

    private URI redirectUri(HttpServletRequest request) {
        return settings.redirectUri() != null ? settings.redirectUri() : absolute(request, settings.callbackPath());
    }

    private static URI absolute(HttpServletRequest request, String path) {
        return URI.create(BrowserPages.origin(request) + request.getContextPath() + path);
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

    /** What the login keeps in its cookie between /login and /callback. */
    private record PendingLogin(String state, String nonce, String codeVerifier, String returnPath, Instant expiresAt) {

        String encode() {
            return String.join("\n", state, nonce, codeVerifier, returnPath, Long.toString(expiresAt.getEpochSecond()));
        }

        static PendingLogin decode(String s) {
            String[] f = s.split("\n", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException("not a pending login");
            }
            return new PendingLogin(f[0], f[1], f[2], f[3], Instant.ofEpochSecond(Long.parseLong(f[4])));
        }

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

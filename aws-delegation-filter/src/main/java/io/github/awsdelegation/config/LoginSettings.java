package io.github.awsdelegation.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The built-in OIDC login (authorization code flow with PKCE) and the relying-party session it starts.
 *
 * <p>After {@code /callback} the HTTP session holds the verified identity, the time of sign-in and the
 * tokens a refresh needs. The session lasts as long as these settings say, not as long as the ID token: it
 * ends after {@code idleTimeout} without a request, or {@code maxAge} after sign-in, whichever comes first.
 *
 * @param clientSecret  the client secret for a confidential client, or {@code null} for a public client
 * @param loginPath     where a browser starts signing in; by default, {@value #DEFAULT_LOGIN_PATH}
 * @param callbackPath  the redirect URI's path, registered with the provider; by default, {@value #DEFAULT_CALLBACK_PATH}
 * @param logoutPath    where a browser signs out (a POST; a GET answers a page with the sign-out button); by default,
 *                      {@value #DEFAULT_LOGOUT_PATH}
 * @param redirectUri   the full redirect URI when the app sits behind a proxy, or {@code null} to derive it
 *                      from the request
 * @param scopes        the scopes requested, which must include {@code openid}; by default, openid, profile and email
 * @param afterLogin    where to go after signing in when no page was asked for; by default, {@code /}
 * @param afterLogout   where to go after signing out (sent to the provider as {@code post_logout_redirect_uri});
 *                      by default, {@code /}
 * @param redirectBrowsers whether browser navigations without a session are sent to the login page
 *                      instead of answered 401; by default, {@code true}
 * @param idleTimeout   how long a session lasts without a request; by default, {@link #DEFAULT_IDLE_TIMEOUT}
 * @param maxAge        how long a session lasts after sign-in, however active; by default, {@link #DEFAULT_MAX_AGE}
 * @param offlineAccess whether the login asks for the {@code offline_access} scope, which some providers (Auth0)
 *                      need before they issue a refresh token; by default, {@code false}
 * @param encryptionKey the login's own AES-256 key, 32 random bytes in Base64 ({@code openssl rand -base64 32}), shared
 *                      by every node of a cluster: it seals the pending-login cookie (so that the callback may reach
 *                      another node than {@code /login}) and the tokens the session keeps (the ID and refresh tokens,
 *                      so that a persisted or replicated session holds them encrypted); by default, {@code null}: a key
 *                      made at start-up for the cookie, and the tokens kept as they are (docs/cluster.md)
 */
public record LoginSettings(String clientSecret, String loginPath, String callbackPath, String logoutPath,
        URI redirectUri, List<String> scopes, String afterLogin, String afterLogout, boolean redirectBrowsers,
        Duration idleTimeout, Duration maxAge, boolean offlineAccess, String encryptionKey) {

    /** By default, a browser starts signing in at {@value}. */
    public static final String DEFAULT_LOGIN_PATH = "/login";

    /** By default, the provider redirects back to {@value}. */
    public static final String DEFAULT_CALLBACK_PATH = "/callback";

    /** By default, a browser signs out at {@value}. */
    public static final String DEFAULT_LOGOUT_PATH = "/logout";

    /** By default, the login asks for openid, profile and email. */
    public static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email");

    /** By default, a user lands on the context root after signing in. */
    public static final String DEFAULT_AFTER_LOGIN = "/";

    /** By default, a user lands on the context root after signing out. */
    public static final String DEFAULT_AFTER_LOGOUT = "/";

    /** By default, browser navigations without a session are sent to the login page. */
    public static final boolean DEFAULT_REDIRECT_BROWSERS = true;

    /** By default, a session without a request for 30 minutes ends. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

    /** By default, a session ends 8 hours after sign-in. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(8);

    private static final Duration MINIMUM_LIFETIME = Duration.ofMinutes(1);

    /** The length of {@code encryptionKey}, decoded: {@value} bytes (AES-256). */
    public static final int ENCRYPTION_KEY_BYTES = 32;

    public LoginSettings {
        checkPath("login.loginPath", loginPath);
        checkPath("login.callbackPath", callbackPath);
        checkPath("login.logoutPath", logoutPath);
        checkPath("login.afterLogin", afterLogin);
        checkPath("login.afterLogout", afterLogout);
        scopes = List.copyOf(scopes);
        if (!scopes.contains("openid")) {
            throw new ConfigurationException("login.scopes", "must include openid");
        }
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        maxAge = maxAge == null ? DEFAULT_MAX_AGE : maxAge;
        if (idleTimeout.isZero() || idleTimeout.isNegative()) {
            throw new ConfigurationException("login.idleTimeout", "must be positive, e.g. 30m");
        }
        if (maxAge.isZero() || maxAge.isNegative()) {
            throw new ConfigurationException("login.maxAge", "must be positive, e.g. 8h");
        }
        if (idleTimeout.compareTo(MINIMUM_LIFETIME) < 0) {
            throw new ConfigurationException("login.idleTimeout", idleTimeout + " is too short; use at least 1m, e.g. 30m");
        }
        if (maxAge.compareTo(MINIMUM_LIFETIME) < 0) {
            throw new ConfigurationException("login.maxAge", maxAge + " is too short; use at least 1m, e.g. 8h");
        }
        if (encryptionKey != null && encryptionKey.isBlank()) {
            encryptionKey = null;
        }
        if (encryptionKey != null) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(encryptionKey.trim());
            } catch (IllegalArgumentException e) {
                decoded = new byte[0];
            }
            if (decoded.length != ENCRYPTION_KEY_BYTES) {
                // Never the value itself: it is a secret.
                throw new ConfigurationException("login.encryptionKey", "must be " + ENCRYPTION_KEY_BYTES
                        + " random bytes in Base64 (44 characters; make one with: openssl rand -base64 32)");
            }
        }
        if (idleTimeout.compareTo(maxAge) > 0) {
            throw new ConfigurationException("login.idleTimeout", idleTimeout + " is longer than login.maxAge (" + maxAge
                    + "), so it would never apply; make it shorter than maxAge or raise maxAge");
        }
    }

    private static void checkPath(String key, String path) {
        if (path == null || !path.startsWith("/")) {
            throw new ConfigurationException(key, "'" + path + "' must be a path starting with /");
        }
    }

    /** Creates settings with the default session lifetimes and without {@code offline_access}. */
    public LoginSettings(String clientSecret, String loginPath, String callbackPath, String logoutPath, URI redirectUri,
            List<String> scopes, String afterLogin, String afterLogout, boolean redirectBrowsers) {
        this(clientSecret, loginPath, callbackPath, logoutPath, redirectUri, scopes, afterLogin, afterLogout,
                redirectBrowsers, null, null, false, null);
    }

    /** Creates settings without an encryption key (a key made at start-up for the pending-login cookie). */
    public LoginSettings(String clientSecret, String loginPath, String callbackPath, String logoutPath, URI redirectUri,
            List<String> scopes, String afterLogin, String afterLogout, boolean redirectBrowsers, Duration idleTimeout,
            Duration maxAge, boolean offlineAccess) {
        this(clientSecret, loginPath, callbackPath, logoutPath, redirectUri, scopes, afterLogin, afterLogout,
                redirectBrowsers, idleTimeout, maxAge, offlineAccess, null);
    }

    /** Returns the scopes the login requests: the configured ones, plus {@code offline_access} when asked for. */
    public List<String> requestedScopes() {
        if (!offlineAccess || scopes.contains("offline_access")) {
            return scopes;
        }
        List<String> all = new ArrayList<>(scopes);
        all.add("offline_access");
        return List.copyOf(all);
    }

    @Override
    public String toString() {
        return "LoginSettings[clientSecret=" + (clientSecret == null ? "none" : "<redacted>") + ", loginPath=" + loginPath
                + ", callbackPath=" + callbackPath + ", logoutPath=" + logoutPath + ", idleTimeout=" + idleTimeout
                + ", maxAge=" + maxAge + ", offlineAccess=" + offlineAccess + ", encryptionKey="
                + (encryptionKey == null ? "none" : "<redacted>") + "]";
    }
}

package io.github.awsdelegation.testkit;

import com.nimbusds.jose.jwk.JWKSet;
import io.github.awsdelegation.testkit.internal.LoopbackHttpServer;
import io.github.awsdelegation.testkit.internal.SigningKeyRing;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real OpenID Connect provider on 127.0.0.1, shaped like an Auth0 tenant: discovery, a JWKS with
 * {@code x5c} certificates, the authorization code flow with PKCE (RFC 7636) behind an HTML login page with
 * a "Continue with Amazon" button and a username/password form, the token endpoint, {@code /userinfo} and
 * logout. Tests can also mint ID tokens directly ({@link #newIdToken()}) and inject faults (key rotation,
 * an unavailable JWKS).
 *
 * <p>Endpoints, relative to {@link #issuer()} ({@code http://127.0.0.1:<port>/}, with Auth0's trailing slash):
 * {@code .well-known/openid-configuration}, {@code .well-known/jwks.json}, {@code authorize},
 * {@code oauth/token}, {@code userinfo}, {@code oidc/logout} (OIDC RP-Initiated Logout, takes
 * {@code post_logout_redirect_uri}) and {@code v2/logout} (Auth0's, takes {@code returnTo}).
 *
 * <p>Claims follow the requested scopes as Auth0 does: {@code email} and {@code email_verified} with the
 * {@code email} scope, {@code name} and {@code nickname} with {@code profile}; the groups claim is always
 * added for database users (as an Auth0 Action would). There is no single sign-on session: every
 * authorization request shows the login page, and {@code prompt=none} answers {@code login_required}.
 *
 * <p>Thread-safe. Stop it with {@link #close()}.
 */
public final class LocalIdentityProvider implements AutoCloseable {

    /** The default ID token lifetime: 10 hours (36,000 s), Auth0's default. */
    public static final Duration DEFAULT_ID_TOKEN_LIFETIME = Duration.ofHours(10);
    /** The default name of the claim listing a database user's groups: {@code groups}. */
    public static final String DEFAULT_GROUPS_CLAIM = "groups";
    /** Auth0's name of the database connection. */
    public static final String DATABASE_CONNECTION = "Username-Password-Authentication";
    /** The connection name of the "Continue with Amazon" social users. */
    public static final String SOCIAL_CONNECTION = "amazon";
    /** How long an authorization code can be exchanged: 60 seconds, once. */
    public static final Duration AUTHORIZATION_CODE_LIFETIME = Duration.ofSeconds(60);
    /** How long the login page of one authorization request stays usable: 10 minutes. */
    public static final Duration LOGIN_PAGE_LIFETIME = Duration.ofMinutes(10);
    /** The access token lifetime (the token is opaque and good only for {@code /userinfo}): 24 hours. */
    public static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(24);
    /** The default refresh token lifetime: 30 days. Each refresh token is good once (rotation). */
    public static final Duration DEFAULT_REFRESH_TOKEN_LIFETIME = Duration.ofDays(30);

    private static final Logger LOG = LoggerFactory.getLogger(LocalIdentityProvider.class);

    private final Clock clock;
    private final Duration idTokenLifetime;
    private final Duration refreshTokenLifetime;
    private final String groupsClaim;
    private final IdentityProviderEndpoints endpoints;
    private final IdentityProviderDirectory directory;
    private final SigningKeyRing keys;
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final AtomicInteger discoveryRequests = new AtomicInteger();
    private volatile boolean jwksAvailable = true;
    private final LoopbackHttpServer server;
    private final URI issuer;

    LocalIdentityProvider(LocalIdentityProviderBuilder builder) {
        this.clock = builder.clock;
        this.idTokenLifetime = builder.idTokenLifetime;
        this.refreshTokenLifetime = builder.refreshTokenLifetime;
        this.groupsClaim = builder.groupsClaim;
        this.directory = new IdentityProviderDirectory(builder.clients, builder.allowAnyLoopbackRedirect,
                builder.databaseUsers.values(), builder.socialUsers.values());
        this.keys = new SigningKeyRing("127.0.0.1", clock.instant());
        this.endpoints = new IdentityProviderEndpoints(this);
        this.server = LoopbackHttpServer.start("local-idp", builder.port, endpoints);
        this.issuer = URI.create("http://127.0.0.1:" + server.port() + "/");
        LOG.info("LocalIdentityProvider started, issuer {}", issuer);
    }

    /** Returns a builder; {@code builder().start()} runs the {@link Demo} set-up. */
    public static LocalIdentityProviderBuilder builder() {
        return new LocalIdentityProviderBuilder();
    }

    /** Returns the issuer, {@code http://127.0.0.1:<port>/} (with a trailing slash, as Auth0's). */
    public URI issuer() {
        return issuer;
    }

    /** Returns the bound port. */
    public int port() {
        return server.port();
    }

    /** Returns the OIDC Discovery document's URL, {@code <issuer>.well-known/openid-configuration}. */
    public URI discoveryUri() {
        return issuer.resolve(".well-known/openid-configuration");
    }

    /** Returns the JWKS URL, {@code <issuer>.well-known/jwks.json}. */
    public URI jwksUri() {
        return issuer.resolve(".well-known/jwks.json");
    }

    /** Returns the authorization endpoint, {@code <issuer>authorize}. */
    public URI authorizationEndpoint() {
        return issuer.resolve("authorize");
    }

    /** Returns the token endpoint, {@code <issuer>oauth/token}. */
    public URI tokenEndpoint() {
        return issuer.resolve("oauth/token");
    }

    /** Returns the UserInfo endpoint, {@code <issuer>userinfo}. */
    public URI userInfoEndpoint() {
        return issuer.resolve("userinfo");
    }

    /** Returns the OIDC RP-Initiated Logout endpoint, {@code <issuer>oidc/logout}. */
    public URI endSessionEndpoint() {
        return issuer.resolve("oidc/logout");
    }

    /** Returns the registered client ids, in registration order. */
    public List<String> clientIds() {
        return directory.clientIds();
    }

    /** Returns the configured ID token lifetime. */
    public Duration idTokenLifetime() {
        return idTokenLifetime;
    }

    /** Returns the name of the groups claim. */
    public String groupsClaim() {
        return groupsClaim;
    }

    /** Returns the clock the provider reads time from. */
    public Clock clock() {
        return clock;
    }

    /**
     * Returns the Auth0-shaped subject of a database user, {@code auth0|<24 hex digits>}, derived from the
     * lower-cased username, so it is the same on every run and on every provider.
     */
    public static String databaseUserSubject(String username) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("aws-delegation-testkit:" + username.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
            return "auth0|" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the subject of a "Continue with Amazon" user, {@code amazon|<id>}. */
    public static String socialUserSubject(String id) {
        return "amazon|" + id;
    }

    /**
     * Starts an ID token for tests with defaults: {@code iss} = {@link #issuer()}, {@code aud} = the first
     * client id, {@code sub} = {@link IdTokenBuilder#DEFAULT_SUBJECT}, {@code iat} = now (when signed), {@code exp} =
     * {@code iat} plus the ID token lifetime and {@code auth_time} = {@code iat}.
     */
    public IdTokenBuilder newIdToken() {
        return new IdTokenBuilder(this);
    }

    /** OpenID Connect Back-Channel Logout 1.0 §2.4: the event a logout token's {@code events} claim names. */
    public static final String BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";

    /**
     * Starts a logout token (OpenID Connect Back-Channel Logout 1.0 §2.4) for tests: header {@code typ}
     * {@code logout+jwt}, {@code iss}, {@code aud} = the first client id, {@code sub} =
     * {@link IdTokenBuilder#DEFAULT_SUBJECT}, {@code iat} = now, {@code exp} = two minutes later, a fresh {@code jti}
     * and {@code events} holding the back-channel logout event with an empty object; no {@code nonce}, no
     * {@code sid} (add one with {@code claim("sid", ...)}). Every claim can be changed or removed to build the tokens
     * a relying party must refuse.
     */
    public IdTokenBuilder newLogoutToken() {
        return new IdTokenBuilder(this).type("logout+jwt")
                .claim("events", java.util.Map.of(BACKCHANNEL_LOGOUT_EVENT, java.util.Map.of()))
                .claim("jti", java.util.UUID.randomUUID().toString())
                .withoutClaim("auth_time")
                .expiresIn(Duration.ofMinutes(2));
    }

    /**
     * Starts an ID token carrying everything the token endpoint would put in one for this database user with
     * scopes {@code openid profile email} (no nonce).
     *
     * @throws IllegalArgumentException when no database user has this username
     */
    public IdTokenBuilder newIdTokenForDatabaseUser(String username) {
        UserAccount user = directory.findDatabaseUser(username).orElseThrow(() -> new IllegalArgumentException(
                "LocalIdentityProvider: no database user '" + username + "'"));
        return newIdToken().user(user);
    }

    /**
     * Starts an ID token carrying everything the token endpoint would put in one for this social user with
     * scopes {@code openid profile email} (no nonce).
     *
     * @throws IllegalArgumentException when no social user has this id
     */
    public IdTokenBuilder newIdTokenForSocialUser(String id) {
        UserAccount user = directory.findSocialUser(id).orElseThrow(() -> new IllegalArgumentException(
                "LocalIdentityProvider: no social user '" + id + "'"));
        return newIdToken().user(user);
    }

    /** Returns a signed ID token for the database user, as {@link #newIdTokenForDatabaseUser(String)} builds it. */
    public String idTokenForDatabaseUser(String username) {
        return newIdTokenForDatabaseUser(username).sign();
    }

    /** Returns a signed ID token for the social user, as {@link #newIdTokenForSocialUser(String)} builds it. */
    public String idTokenForSocialUser(String id) {
        return newIdTokenForSocialUser(id).sign();
    }

    /** Returns the key id ({@code kid}) of the current signing key. */
    public String currentKeyId() {
        return keys.current().getKeyID();
    }

    /** Returns the public JWK set as the JWKS endpoint serves it. */
    public JWKSet publicJwkSet() {
        return keys.publicJwkSet();
    }

    /** Makes a new current signing key and keeps publishing the previous ones after it (a graceful rotation). */
    public void rotateKeys() {
        rotateKeys(true);
    }

    /**
     * Makes a new current signing key, published first in the JWKS. With {@code keepOld} false the previous keys
     * are withdrawn, so tokens they signed no longer verify.
     */
    public void rotateKeys(boolean keepOld) {
        keys.rotate(keepOld, clock.instant());
        LOG.info("LocalIdentityProvider rotated its signing key (kept old keys: {})", keepOld);
    }

    /** Makes the JWKS and discovery endpoints answer normally ({@code true}) or 503 ({@code false}). */
    public void setJwksAvailable(boolean available) {
        this.jwksAvailable = available;
    }

    /**
     * Returns how many JWKS requests arrived, including those answered 503, but not counting those made by a
     * {@link LocalSts} (it fetches on every call, like Ceph RGW) so that a test sees the caching of the code
     * under test.
     */
    public int jwksRequestCount() {
        return jwksRequests.get();
    }

    /** Returns how many discovery requests arrived, counted as {@link #jwksRequestCount()} is. */
    public int discoveryRequestCount() {
        return discoveryRequests.get();
    }

    /** Returns the lifetime of the refresh tokens the token endpoint issues. */
    public Duration refreshTokenLifetime() {
        return refreshTokenLifetime;
    }

    /**
     * Returns how many {@code grant_type=refresh_token} requests the token endpoint answered with new tokens (refused
     * ones not counted).
     */
    public int refreshGrantCount() {
        return endpoints.refreshGrants();
    }

    /**
     * Ends the user's sessions at the provider: every refresh token issued for the subject is revoked, so the next
     * refresh is answered {@code invalid_grant}, as when an administrator signs a user out in Keycloak.
     *
     * @return how many refresh tokens were revoked
     */
    public int endSessions(String subject) {
        return endpoints.revokeRefreshTokens(subject);
    }

    /**
     * Revokes one refresh token (RFC 7009's effect), e.g. one a test obtained itself.
     *
     * @return whether the token was known and still valid
     */
    public boolean revokeRefreshToken(String refreshToken) {
        return endpoints.revokeRefreshToken(refreshToken);
    }

    /**
     * Returns the sign-outs the end-session endpoint performed for a valid {@code id_token_hint}, oldest first: the
     * subject whose sessions ended and the {@code post_logout_redirect_uri} and {@code state} it redirected with.
     */
    public List<EndedSession> endedSessions() {
        return endpoints.endedSessions();
    }

    /**
     * A sign-out at the end-session endpoint (OIDC RP-Initiated Logout 1.0).
     *
     * @param subject               the {@code sub} of the {@code id_token_hint}
     * @param clientId              the hint's audience
     * @param postLogoutRedirectUri where the browser was sent back, or {@code null} (the signed-out page)
     * @param state                 the {@code state} passed back, or {@code null}
     */
    public record EndedSession(String subject, String clientId, URI postLogoutRedirectUri, String state) {
    }

    /** Sets both request counters back to zero. */
    public void resetRequestCounts() {
        jwksRequests.set(0);
        discoveryRequests.set(0);
    }

    /** Stops the server; new connections are refused afterwards. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "LocalIdentityProvider[issuer=" + issuer + ", clients=" + directory.clientIds() + "]";
    }

    // Package-private state for the endpoints and the token builder.

    SigningKeyRing keys() {
        return keys;
    }

    boolean jwksAvailable() {
        return jwksAvailable;
    }

    AtomicInteger jwksRequests() {
        return jwksRequests;
    }

    AtomicInteger discoveryRequests() {
        return discoveryRequests;
    }

    IdentityProviderDirectory directory() {
        return directory;
    }

    static UserAccount databaseAccount(String username, String password, String email, List<String> groups) {
        return new UserAccount(databaseUserSubject(username), DATABASE_CONNECTION, username, password, email, List.copyOf(groups));
    }

    static UserAccount socialAccount(String id, String email) {
        return new UserAccount(socialUserSubject(id), SOCIAL_CONNECTION, id, null, email, List.of());
    }

    Instant now() {
        return clock.instant();
    }
}

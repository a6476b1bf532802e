package io.github.awsdelegation.config;

import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.token.ConnectionResolver;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The whole configuration of the module, immutable and validated when built. It is usually read from a
 * YAML document by {@link DelegationConfigLoader}; see {@code docs/configuration.md} for every key.
 */
public final class DelegationConfig {

    /** By default, the ID token is found in the HTTP session under this attribute. */
    public static final String DEFAULT_SESSION_ATTRIBUTE = "io.github.awsdelegation.id_token";

    /** By default, a client requests a role with this header. */
    public static final String DEFAULT_ROLE_HEADER = "X-AWS-Role";

    /** By default, a client requests a role with this query parameter. */
    public static final String DEFAULT_ROLE_PARAMETER = "aws_role";

    /** By default, credentials live 1 hour (STS's default, and the maximum of a role unless raised). */
    public static final Duration DEFAULT_SESSION_DURATION = Duration.ofHours(1);

    /** STS's shortest session: 15 minutes. */
    public static final Duration MIN_SESSION_DURATION = Duration.ofMinutes(15);

    /** STS's longest session: 12 hours. */
    public static final Duration MAX_SESSION_DURATION = Duration.ofHours(12);

    private final URI issuer;
    private final String clientId;
    private final Set<String> trustedAudiences;
    private final List<String> algorithms;
    private final Duration clockSkew;
    private final Duration maxTokenAge;
    private final String groupsClaim;
    private final ConnectionResolver connectionResolver;
    private final StsSettings sts;
    private final Duration sessionDuration;
    private final Duration refreshAhead;
    private final long cacheMaximumSize;
    private final RequestSettings request;
    private final LoginSettings login;
    private final ClientSettings clients;
    private final List<RoleRule> rules;
    private final io.github.awsdelegation.sts.saml.SamlSettings saml;
    private final SamlEndpointSettings samlEndpoints;

    private DelegationConfig(Builder b) {
        this.issuer = require(b.issuer, "oidc.issuer", "set the OIDC issuer URL, e.g. https://example.eu.auth0.com/");
        this.clientId = require(b.clientId, "oidc.clientId", "set the OIDC client id of this app");
        this.trustedAudiences = Set.copyOf(b.trustedAudiences);
        this.algorithms = List.copyOf(b.algorithms);
        this.clockSkew = b.clockSkew;
        this.maxTokenAge = b.maxTokenAge;
        this.groupsClaim = b.groupsClaim;
        this.connectionResolver = b.connectionResolver == null ? ConnectionResolver.auth0() : b.connectionResolver;
        this.sts = require(b.sts, "sts", "set sts.region");
        this.sessionDuration = b.sessionDuration;
        this.refreshAhead = b.refreshAhead;
        this.cacheMaximumSize = b.cacheMaximumSize;
        this.request = b.request;
        this.login = b.login;
        this.clients = b.clients;
        this.rules = List.copyOf(b.rules);
        this.saml = b.saml;
        this.samlEndpoints = b.saml == null ? null : b.samlEndpoints;
        checkIssuer(issuer);
        checkSessionDuration("sts.sessionDuration", sessionDuration);
        if (algorithms.isEmpty()) {
            throw new ConfigurationException("oidc.algorithms", "list at least one signature algorithm, e.g. RS256");
        }
        if (rules.isEmpty()) {
            throw new ConfigurationException("rules", "no role rules: add at least one rule, or no user will get a role");
        }
        RoleChecks.check(rules, sts, saml);
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    static void checkIssuer(URI issuer) {
        String scheme = issuer.getScheme();
        String host = issuer.getHost();
        boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
        if (!"https".equals(scheme) && !("http".equals(scheme) && loopback)) {
            throw new ConfigurationException("oidc.issuer", "'" + issuer + "' must be an https URL "
                    + "(plain http is accepted only for a loopback test issuer)");
        }
    }

    static void checkSessionDuration(String key, Duration duration) {
        if (duration.compareTo(MIN_SESSION_DURATION) < 0 || duration.compareTo(MAX_SESSION_DURATION) > 0) {
            throw new ConfigurationException(key, duration + " is outside STS's range of 15 minutes to 12 hours");
        }
    }

    private static <T> T require(T value, String key, String fix) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new ConfigurationException(key, "missing; " + fix);
        }
        return value;
    }

    /** Returns the OIDC issuer, compared exactly with each token's {@code iss}. */
    public URI issuer() {
        return issuer;
    }

    /** Returns this app's OIDC client id, which every token's {@code aud} must contain. */
    public String clientId() {
        return clientId;
    }

    /** Returns audiences a token may carry besides the client id. */
    public Set<String> trustedAudiences() {
        return trustedAudiences;
    }

    /** Returns the accepted JWS algorithm names. */
    public List<String> algorithms() {
        return algorithms;
    }

    /** Returns the leeway for {@code exp}, {@code nbf} and {@code iat}. */
    public Duration clockSkew() {
        return clockSkew;
    }

    /** Returns the oldest {@code iat} accepted. */
    public Duration maxTokenAge() {
        return maxTokenAge;
    }

    /** Returns the claim that lists the user's groups. */
    public String groupsClaim() {
        return groupsClaim;
    }

    /** Returns how the user's connection is determined. */
    public ConnectionResolver connectionResolver() {
        return connectionResolver;
    }

    /** Returns how STS is reached. */
    public StsSettings sts() {
        return sts;
    }

    /** Returns the default lifetime of credentials. */
    public Duration sessionDuration() {
        return sessionDuration;
    }

    /** Returns how long before expiry cached credentials are refreshed. */
    public Duration refreshAhead() {
        return refreshAhead;
    }

    /** Returns the maximum number of cached credentials. */
    public long cacheMaximumSize() {
        return cacheMaximumSize;
    }

    /** Returns where requests carry tokens and role requests. */
    public RequestSettings request() {
        return request;
    }

    /** Returns the built-in OIDC login settings, or {@code null} when the login endpoints are off. */
    public LoginSettings login() {
        return login;
    }

    /** Returns the role rules in evaluation order. */
    public List<RoleRule> rules() {
        return rules;
    }

    /**
     * Returns the SAML identity provider this module acts as (for roles assumed with SAML and console sign-in),
     * or {@code null} when the configuration has no {@code saml} section.
     */
    public io.github.awsdelegation.sts.saml.SamlSettings saml() {
        return saml;
    }

    /** Returns the SAML endpoints (metadata, console, roles, delegation), or {@code null} without a {@code saml} section. */
    public SamlEndpointSettings samlEndpoints() {
        return samlEndpoints;
    }

    /** Returns the settings of the AWS clients the app gets for its users (the CDI module's S3 client). */
    public ClientSettings clients() {
        return clients;
    }

    /**
     * How the AWS clients built for the app's users reach AWS; the CDI module's {@code S3Client} uses them.
     *
     * @param s3Endpoint  the endpoint that replaces S3's for every region (a local S3 in tests), or
     *                    {@code null} for AWS's
     * @param s3PathStyle whether S3 requests name the bucket in the path ({@code http://host/bucket/key})
     *                    rather than the host name, as local S3 endpoints usually need
     * @param executeApiMaxResponseBytes the largest response body the {@code ExecuteApiClient} reads
     */
    public record ClientSettings(URI s3Endpoint, boolean s3PathStyle, int executeApiMaxResponseBytes) {

        /** By default, the {@code ExecuteApiClient} reads response bodies of at most 10 MiB (API Gateway's payload limit). */
        public static final int DEFAULT_EXECUTE_API_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

        public ClientSettings {
            if (executeApiMaxResponseBytes < 1) {
                throw new IllegalArgumentException("executeApiMaxResponseBytes must be at least 1, was " + executeApiMaxResponseBytes);
            }
        }

        /** Creates settings with the default limit on execute-api responses. */
        public ClientSettings(URI s3Endpoint, boolean s3PathStyle) {
            this(s3Endpoint, s3PathStyle, DEFAULT_EXECUTE_API_MAX_RESPONSE_BYTES);
        }

        /** Returns the defaults: AWS's own endpoints, virtual-host-style S3 requests, 10 MiB execute-api responses. */
        public static ClientSettings defaults() {
            return new ClientSettings(null, false);
        }
    }

    /**
     * Where the filter finds tokens and role requests.
     *
     * @param sessionAttribute the HTTP session attribute holding the ID token
     * @param bearer           whether {@code Authorization: Bearer <ID token>} is accepted
     * @param roleHeader       the header of a role request
     * @param roleParameter    the query parameter of a role request
     * @param publicPaths      paths (relative to the context, {@code /static/*} style prefixes allowed) the
     *                         filter lets through untouched
     * @param allowedOrigins   origins ({@code scheme://host[:port]}) besides the app's own whose pages may send
     *                         state-changing requests ({@code POST}, {@code PUT}, ...) with the user's session cookie;
     *                         by default none
     */
    public record RequestSettings(String sessionAttribute, boolean bearer, String roleHeader, String roleParameter,
            List<String> publicPaths, Set<String> allowedOrigins) {

        public RequestSettings {
            Objects.requireNonNull(sessionAttribute, "sessionAttribute");
            publicPaths = List.copyOf(publicPaths);
            allowedOrigins = allowedOrigins.stream().map(o -> o.toLowerCase(java.util.Locale.ROOT))
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        }

        /** Creates the settings with no other origin allowed to use the session cookie. */
        public RequestSettings(String sessionAttribute, boolean bearer, String roleHeader, String roleParameter,
                List<String> publicPaths) {
            this(sessionAttribute, bearer, roleHeader, roleParameter, publicPaths, Set.of());
        }

        /** Returns the defaults. */
        public static RequestSettings defaults() {
            return new RequestSettings(DEFAULT_SESSION_ATTRIBUTE, true, DEFAULT_ROLE_HEADER, DEFAULT_ROLE_PARAMETER, List.of());
        }

        /** Tells whether a context-relative path is public. */
        public boolean isPublic(String path) {
            for (String p : publicPaths) {
                if (p.endsWith("/*") ? path.startsWith(p.substring(0, p.length() - 1)) || path.equals(p.substring(0, p.length() - 2))
                        : path.equals(p)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The built-in OIDC login (authorization code flow with PKCE) and the relying-party session it starts.
     *
     * <p>After {@code /callback} the HTTP session holds the verified identity, the time of sign-in and the
     * tokens a refresh needs. The session lasts as long as these settings say, not as long as the ID token: it
     * ends after {@code idleTimeout} without a request, or {@code maxAge} after sign-in, whichever comes first.
     *
     * @param clientSecret  the client secret for a confidential client, or {@code null} for a public client
     * @param loginPath     where a browser starts signing in
     * @param callbackPath  the redirect URI's path, registered with the provider
     * @param logoutPath    where a browser signs out (a POST; a GET answers a page with the sign-out button)
     * @param redirectUri   the full redirect URI when the app sits behind a proxy, or {@code null} to derive it
     *                      from the request
     * @param scopes        the scopes requested
     * @param afterLogin    where to go after signing in when no page was asked for
     * @param afterLogout   where to go after signing out (sent to the provider as {@code post_logout_redirect_uri})
     * @param redirectBrowsers whether browser navigations without a session are sent to the login page
     *                      instead of answered 401
     * @param idleTimeout   how long a session lasts without a request; by default, {@link #DEFAULT_IDLE_TIMEOUT}
     * @param maxAge        how long a session lasts after sign-in, however active; by default, {@link #DEFAULT_MAX_AGE}
     * @param offlineAccess whether the login asks for the {@code offline_access} scope, which some providers (Auth0)
     *                      need before they issue a refresh token; by default, {@code false}
     */
    public record LoginSettings(String clientSecret, String loginPath, String callbackPath, String logoutPath,
            URI redirectUri, List<String> scopes, String afterLogin, String afterLogout, boolean redirectBrowsers,
            Duration idleTimeout, Duration maxAge, boolean offlineAccess) {

        /** By default, a session without a request for 30 minutes ends. */
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

        /** By default, a session ends 8 hours after sign-in. */
        public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(8);

        private static final Duration MINIMUM_LIFETIME = Duration.ofMinutes(1);

        public LoginSettings {
            scopes = List.copyOf(scopes);
            if (!scopes.contains("openid")) {
                throw new ConfigurationException("login.scopes", "must include openid");
            }
            idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
            maxAge = maxAge == null ? DEFAULT_MAX_AGE : maxAge;
            if (idleTimeout.compareTo(MINIMUM_LIFETIME) < 0) {
                throw new ConfigurationException("login.idleTimeout", idleTimeout + " is too short; use at least 1m, e.g. 30m");
            }
            if (maxAge.compareTo(MINIMUM_LIFETIME) < 0) {
                throw new ConfigurationException("login.maxAge", maxAge + " is too short; use at least 1m, e.g. 8h");
            }
            if (idleTimeout.compareTo(maxAge) > 0) {
                throw new ConfigurationException("login.idleTimeout", idleTimeout + " is longer than login.maxAge (" + maxAge
                        + "), so it would never apply; make it shorter than maxAge or raise maxAge");
            }
        }

        /** Creates settings with the default session lifetimes and without {@code offline_access}. */
        public LoginSettings(String clientSecret, String loginPath, String callbackPath, String logoutPath, URI redirectUri,
                List<String> scopes, String afterLogin, String afterLogout, boolean redirectBrowsers) {
            this(clientSecret, loginPath, callbackPath, logoutPath, redirectUri, scopes, afterLogin, afterLogout,
                    redirectBrowsers, null, null, false);
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
                    + ", maxAge=" + maxAge + ", offlineAccess=" + offlineAccess + "]";
        }
    }

    /** Builds a {@link DelegationConfig}. */
    public static final class Builder {

        private URI issuer;
        private String clientId;
        private final List<String> trustedAudiences = new ArrayList<>();
        private final List<String> algorithms = new ArrayList<>(List.of("RS256"));
        private Duration clockSkew = Duration.ofSeconds(60);
        private Duration maxTokenAge = Duration.ofHours(24);
        private String groupsClaim = "groups";
        private ConnectionResolver connectionResolver;
        private StsSettings sts;
        private Duration sessionDuration = DEFAULT_SESSION_DURATION;
        private Duration refreshAhead = io.github.awsdelegation.cache.CredentialCache.DEFAULT_REFRESH_AHEAD;
        private long cacheMaximumSize = io.github.awsdelegation.cache.CredentialCache.DEFAULT_MAXIMUM_SIZE;
        private RequestSettings request = RequestSettings.defaults();
        private LoginSettings login;
        private ClientSettings clients = ClientSettings.defaults();
        private final List<RoleRule> rules = new ArrayList<>();
        private io.github.awsdelegation.sts.saml.SamlSettings saml;
        private SamlEndpointSettings samlEndpoints;

        private Builder() {
        }

        /** Sets the OIDC issuer. Required. */
        public Builder issuer(URI issuer) {
            this.issuer = issuer;
            return this;
        }

        /** Sets the OIDC client id. Required. */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** Adds audiences a token may carry besides the client id. By default, none. */
        public Builder trustedAudiences(Collection<String> audiences) {
            trustedAudiences.addAll(audiences);
            return this;
        }

        /** Replaces the accepted JWS algorithms. By default, RS256. */
        public Builder algorithms(Collection<String> names) {
            algorithms.clear();
            algorithms.addAll(names);
            return this;
        }

        /** Sets the clock skew. By default, 60 seconds. */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = Objects.requireNonNull(skew);
            return this;
        }

        /** Sets the oldest accepted {@code iat}. By default, 24 hours. */
        public Builder maxTokenAge(Duration age) {
            this.maxTokenAge = Objects.requireNonNull(age);
            return this;
        }

        /** Sets the groups claim. By default, {@code groups}. */
        public Builder groupsClaim(String claim) {
            this.groupsClaim = Objects.requireNonNull(claim);
            return this;
        }

        /** Sets how the connection is determined. By default, Auth0 {@code sub} prefixes. */
        public Builder connectionResolver(ConnectionResolver resolver) {
            this.connectionResolver = resolver;
            return this;
        }

        /** Sets how STS is reached. Required. */
        public Builder sts(StsSettings sts) {
            this.sts = sts;
            return this;
        }

        /** Sets the default lifetime of credentials. By default, 1 hour. */
        public Builder sessionDuration(Duration duration) {
            this.sessionDuration = Objects.requireNonNull(duration);
            return this;
        }

        /** Sets the refresh-ahead time. By default, 5 minutes. */
        public Builder refreshAhead(Duration refreshAhead) {
            this.refreshAhead = Objects.requireNonNull(refreshAhead);
            return this;
        }

        /** Sets the maximum number of cached credentials. By default, 100,000. */
        public Builder cacheMaximumSize(long size) {
            this.cacheMaximumSize = size;
            return this;
        }

        /** Sets the request settings. */
        public Builder request(RequestSettings request) {
            this.request = Objects.requireNonNull(request);
            return this;
        }

        /** Turns the built-in login on with these settings, or off with {@code null}. By default, off. */
        public Builder login(LoginSettings login) {
            this.login = login;
            return this;
        }

        /** Sets the AWS client settings. By default, {@link ClientSettings#defaults()}. */
        public Builder clients(ClientSettings clients) {
            this.clients = Objects.requireNonNull(clients);
            return this;
        }

        /**
         * Makes the module a SAML identity provider with these settings and endpoints, or not with {@code null}.
         * By default, not.
         */
        public Builder saml(io.github.awsdelegation.sts.saml.SamlSettings saml, SamlEndpointSettings endpoints) {
            this.saml = saml;
            this.samlEndpoints = endpoints == null ? SamlEndpointSettings.defaults() : endpoints;
            return this;
        }

        /** Appends role rules, evaluated in order. */
        public Builder rules(Collection<? extends RoleRule> rules) {
            this.rules.addAll(rules);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws ConfigurationException naming the key at fault
         */
        public DelegationConfig build() {
            return new DelegationConfig(this);
        }
    }
}

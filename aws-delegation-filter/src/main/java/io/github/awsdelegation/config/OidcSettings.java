package io.github.awsdelegation.config;

import io.github.awsdelegation.config.internal.BindAs;
import io.github.awsdelegation.config.internal.ConnectionDocument;
import io.github.awsdelegation.config.internal.Key;
import io.github.awsdelegation.config.internal.Required;
import io.github.awsdelegation.token.ConnectionResolver;
import io.github.awsdelegation.token.IdTokenValidator;
import io.github.awsdelegation.token.IdTokenValidatorBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code oidc} section: the OpenID Provider whose ID tokens are accepted, and how they are validated. The
 * defaults are {@link IdTokenValidator}'s, so a key left out means what the validator's builder means by default.
 *
 * @param issuer                 the issuer, compared exactly with each token's {@code iss}; required
 * @param clientId               this app's client id, which every token's {@code aud} must contain; required
 * @param trustedAudiences       audiences a token may carry besides the client id; by default, none
 * @param algorithms             the accepted JWS algorithm names; by default, RS256
 * @param clockSkew              the leeway for {@code exp}, {@code nbf} and {@code iat}; by default, 60 seconds
 * @param maxTokenAge            the oldest {@code iat} accepted; by default, 24 hours
 * @param groupsClaim            the claim that lists the user's groups; by default, {@code groups}
 * @param connectionResolver     how the user's connection is determined ({@code oidc.connection}); by default, Auth0
 *                               {@code sub} prefixes
 * @param requireVerifiedEmail   whether the identity's email is filled only when {@code email_verified} is true;
 *                               by default, true
 * @param connectTimeout         the HTTP connect timeout for the discovery document and the JWKS; by default, 2 seconds
 * @param readTimeout            the HTTP read timeout for the discovery document and the JWKS; by default, 2 seconds
 * @param jwksCacheTimeToLive    how long fetched keys are used before they are fetched again; by default, 5 minutes
 * @param discoveryRetryInterval how long requests fail fast after a failed discovery before it is tried again;
 *                               by default, 5 seconds
 * @param validatedTokenCacheSize how many validated tokens are remembered, 0 for none; by default, 10,000
 */
public record OidcSettings(@Required URI issuer, @Required String clientId, Set<String> trustedAudiences,
        List<String> algorithms, Duration clockSkew, Duration maxTokenAge, String groupsClaim,
        @Key("connection") @BindAs(ConnectionDocument.class) ConnectionResolver connectionResolver,
        boolean requireVerifiedEmail, Duration connectTimeout, Duration readTimeout, Duration jwksCacheTimeToLive,
        Duration discoveryRetryInterval, long validatedTokenCacheSize) {

    /** By default, only RS256 is accepted. */
    public static final List<String> DEFAULT_ALGORITHMS = IdTokenValidator.DEFAULT_ALGORITHMS.stream()
            .map(a -> a.getName()).sorted().toList();

    /** By default, 60 seconds of clock skew are tolerated. */
    public static final Duration DEFAULT_CLOCK_SKEW = IdTokenValidator.DEFAULT_CLOCK_SKEW;

    /** By default, a token issued up to 24 hours ago is accepted. */
    public static final Duration DEFAULT_MAX_TOKEN_AGE = IdTokenValidator.DEFAULT_MAX_TOKEN_AGE;

    /** By default, the groups are in the {@code groups} claim. */
    public static final String DEFAULT_GROUPS_CLAIM = IdTokenValidator.DEFAULT_GROUPS_CLAIM;

    /** By default, the connection is read from Auth0's {@code sub} prefixes. */
    public static final ConnectionResolver DEFAULT_CONNECTION_RESOLVER = ConnectionResolver.auth0();

    /** By default, only verified email addresses are taken. */
    public static final boolean DEFAULT_REQUIRE_VERIFIED_EMAIL = IdTokenValidator.DEFAULT_REQUIRE_VERIFIED_EMAIL;

    /** By default, connecting to the provider may take 2 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = IdTokenValidator.DEFAULT_CONNECT_TIMEOUT;

    /** By default, reading the provider's answer may take 2 seconds. */
    public static final Duration DEFAULT_READ_TIMEOUT = IdTokenValidator.DEFAULT_READ_TIMEOUT;

    /** By default, fetched keys are used for 5 minutes. */
    public static final Duration DEFAULT_JWKS_CACHE_TIME_TO_LIVE = IdTokenValidator.DEFAULT_JWKS_CACHE_TIME_TO_LIVE;

    /** By default, requests fail fast for 5 seconds after a failed discovery. */
    public static final Duration DEFAULT_DISCOVERY_RETRY_INTERVAL = IdTokenValidator.DEFAULT_DISCOVERY_RETRY_INTERVAL;

    /** By default, 10,000 validated tokens are remembered. */
    public static final long DEFAULT_VALIDATED_TOKEN_CACHE_SIZE = IdTokenValidator.DEFAULT_VALIDATED_TOKEN_CACHE_SIZE;

    public OidcSettings {
        if (issuer == null) {
            throw new ConfigurationException("oidc.issuer", "missing; set the OIDC issuer URL, e.g. https://example.eu.auth0.com/");
        }
        checkIssuer(issuer);
        if (clientId == null || clientId.isBlank()) {
            throw new ConfigurationException("oidc.clientId", "missing; set the OIDC client id of this app");
        }
        trustedAudiences = Set.copyOf(trustedAudiences);
        algorithms = List.copyOf(algorithms);
        if (algorithms.isEmpty()) {
            throw new ConfigurationException("oidc.algorithms", "list at least one signature algorithm, e.g. RS256");
        }
        Objects.requireNonNull(groupsClaim, "groupsClaim");
        Objects.requireNonNull(connectionResolver, "connectionResolver");
        requireNotNegative("oidc.clockSkew", clockSkew);
        requireNotNegative("oidc.maxTokenAge", maxTokenAge);
        requirePositive("oidc.connectTimeout", connectTimeout);
        requirePositive("oidc.readTimeout", readTimeout);
        requirePositive("oidc.jwksCacheTimeToLive", jwksCacheTimeToLive);
        requireNotNegative("oidc.discoveryRetryInterval", discoveryRetryInterval);
        if (validatedTokenCacheSize < 0) {
            throw new ConfigurationException("oidc.validatedTokenCacheSize", "must be 0 (off) or more");
        }
    }

    /** Returns a builder with the required settings and every other at its default. */
    public static Builder builder(URI issuer, String clientId) {
        return new Builder(issuer, clientId);
    }

    /** Returns the settings with every optional key at its default. */
    public static OidcSettings of(URI issuer, String clientId) {
        return builder(issuer, clientId).build();
    }

    /**
     * Returns a validator builder holding these settings; the caller adds what configuration cannot say (the
     * clock, a static key source) and builds it.
     */
    public IdTokenValidatorBuilder validatorBuilder() {
        return IdTokenValidator.builder()
                .issuer(issuer)
                .clientId(clientId)
                .trustedAudiences(trustedAudiences)
                .algorithms(algorithms.stream().map(com.nimbusds.jose.JWSAlgorithm::parse).toList())
                .clockSkew(clockSkew)
                .maxTokenAge(maxTokenAge)
                .groupsClaim(groupsClaim)
                .connectionResolver(connectionResolver)
                .requireVerifiedEmail(requireVerifiedEmail)
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .jwksCacheTimeToLive(jwksCacheTimeToLive)
                .discoveryRetryInterval(discoveryRetryInterval)
                .validatedTokenCacheSize(validatedTokenCacheSize);
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

    private static void requireNotNegative(String key, Duration value) {
        if (Objects.requireNonNull(value, key).isNegative()) {
            throw new ConfigurationException(key, "must not be negative");
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (Objects.requireNonNull(value, key).isNegative() || value.isZero()) {
            throw new ConfigurationException(key, "must be positive, e.g. 2s");
        }
    }

    /** Builds {@link OidcSettings} in code; every setting but the issuer and client id has its default. */
    public static final class Builder {

        private final URI issuer;
        private final String clientId;
        private final Set<String> trustedAudiences = new LinkedHashSet<>();
        private final List<String> algorithms = new ArrayList<>(DEFAULT_ALGORITHMS);
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Duration maxTokenAge = DEFAULT_MAX_TOKEN_AGE;
        private String groupsClaim = DEFAULT_GROUPS_CLAIM;
        private ConnectionResolver connectionResolver = DEFAULT_CONNECTION_RESOLVER;
        private boolean requireVerifiedEmail = DEFAULT_REQUIRE_VERIFIED_EMAIL;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration jwksCacheTimeToLive = DEFAULT_JWKS_CACHE_TIME_TO_LIVE;
        private Duration discoveryRetryInterval = DEFAULT_DISCOVERY_RETRY_INTERVAL;
        private long validatedTokenCacheSize = DEFAULT_VALIDATED_TOKEN_CACHE_SIZE;

        private Builder(URI issuer, String clientId) {
            this.issuer = issuer;
            this.clientId = clientId;
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
            this.clockSkew = skew;
            return this;
        }

        /** Sets the oldest accepted {@code iat}. By default, 24 hours. */
        public Builder maxTokenAge(Duration age) {
            this.maxTokenAge = age;
            return this;
        }

        /** Sets the groups claim. By default, {@code groups}. */
        public Builder groupsClaim(String claim) {
            this.groupsClaim = claim;
            return this;
        }

        /** Sets how the connection is determined. By default, Auth0 {@code sub} prefixes. */
        public Builder connectionResolver(ConnectionResolver resolver) {
            this.connectionResolver = resolver;
            return this;
        }

        /** Sets whether only verified email addresses are taken. By default, true. */
        public Builder requireVerifiedEmail(boolean require) {
            this.requireVerifiedEmail = require;
            return this;
        }

        /** Sets the HTTP connect timeout towards the provider. By default, 2 seconds. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** Sets the HTTP read timeout towards the provider. By default, 2 seconds. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        /** Sets how long fetched keys are used. By default, 5 minutes. */
        public Builder jwksCacheTimeToLive(Duration timeToLive) {
            this.jwksCacheTimeToLive = timeToLive;
            return this;
        }

        /** Sets how long requests fail fast after a failed discovery. By default, 5 seconds. */
        public Builder discoveryRetryInterval(Duration interval) {
            this.discoveryRetryInterval = interval;
            return this;
        }

        /** Sets how many validated tokens are remembered. By default, 10,000. */
        public Builder validatedTokenCacheSize(long size) {
            this.validatedTokenCacheSize = size;
            return this;
        }

        /** Builds the settings, checking them. */
        public OidcSettings build() {
            return new OidcSettings(issuer, clientId, trustedAudiences, algorithms, clockSkew, maxTokenAge, groupsClaim,
                    connectionResolver, requireVerifiedEmail, connectTimeout, readTimeout, jwksCacheTimeToLive,
                    discoveryRetryInterval, validatedTokenCacheSize);
        }
    }
}

package io.github.awsdelegation.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.awsdelegation.metrics.internal.Telemetry;
import io.github.awsdelegation.token.ConnectionResolver.Connection;
import io.github.awsdelegation.token.internal.ClaimValues;
import io.github.awsdelegation.token.internal.EdDsaSupport;
import io.github.awsdelegation.token.internal.IdTokenClaimsVerifier;
import io.github.awsdelegation.token.internal.IdTokenVerifierFactory;
import io.github.awsdelegation.token.internal.IssuerKeySelector;
import io.github.awsdelegation.token.internal.IssuerKeys;
import io.github.awsdelegation.token.internal.IssuerUrls;
import io.github.awsdelegation.token.internal.KeyRejectedException;
import io.github.awsdelegation.token.internal.LogoutTokenVerifier;
import io.github.awsdelegation.token.internal.OidcDiscovery;
import io.github.awsdelegation.token.internal.Rejections;
import io.github.awsdelegation.token.internal.TokenPrechecks;
import io.github.awsdelegation.token.internal.ValidatedTokenCache;
import io.github.awsdelegation.token.internal.ValidationContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates OpenID Connect ID tokens as OIDC Core §3.1.3.7 and RFC 8725 (JWT Best Current Practices)
 * require, and turns a valid one into a {@link VerifiedIdentity}. Immutable and thread-safe; build one
 * per issuer with {@link #builder()} and share it.
 *
 * <p>A token is accepted only when every one of these holds; the first that fails is named in the
 * {@link TokenRejectedException}'s message ("ID token rejected: audience [...] does not contain the
 * client id ..."), which never contains the token or its signature:
 * <ol>
 * <li>it is at most {@value #MAX_TOKEN_LENGTH} characters (STS AssumeRoleWithWebIdentity's limit) and
 *     a compact JWS of three base64url parts; encrypted (JWE) tokens are refused;</li>
 * <li>its {@code alg} is in the allowlist (RFC 8725 §3.1); {@code none} in any spelling and HMAC
 *     algorithms can never be allowed, since the issuer shares no secret with us and an HMAC "signed"
 *     with its public key is the classic forgery;</li>
 * <li>its header {@code typ}, when present, is {@code JWT} (RFC 8725 §3.11), and it has no {@code crit}
 *     (RFC 7515 §4.1.11: no extension is understood here);</li>
 * <li>its header carries no {@code jku}, {@code x5u}, {@code jwk} or {@code x5c}. These let a token name
 *     or bring its own verification key: a forger would simply bring his. Keys come only from the
 *     issuer's JWKS (RFC 8725 §3.10), and tokens carrying them are refused outright;</li>
 * <li>the key is selected from the issuer's JWKS by {@code kid} and type, fits the algorithm ({@code use},
 *     {@code alg}, EC/OKP curve), and is strong enough: RSA keys under 2048 bits are refused (RFC 7518
 *     §3.3), whatever the token;</li>
 * <li>the signature verifies with that key;</li>
 * <li>{@code iss} equals the configured issuer as a string, trailing slash included (§3.1.3.7 rule 2);</li>
 * <li>{@code aud} contains the client id and no audience that is neither the client id nor a trusted
 *     audience (rule 3); with several audiences {@code azp} is present, and when present it is the
 *     client id (rules 4 and 5);</li>
 * <li>{@code exp} is present and not passed, {@code nbf} if present is not in the future, {@code iat} is
 *     present, not in the future and not older than the maximum token age (rules 9 and 10), all with the
 *     clock skew; each must be a JSON number, not a string;</li>
 * <li>it is an ID token, not an access, refresh or logout token of the same issuer that names the client
 *     id as its audience: no header {@code typ} {@code at+jwt} (RFC 9068) or {@code logout+jwt}, no
 *     Keycloak {@code typ} other than {@code ID}, no Cognito {@code token_use} other than {@code id}, no
 *     {@code events} (logout and security event tokens), and none of the claims only access tokens carry
 *     ({@code scope}, {@code scp}, {@code client_id}, {@code cid}, {@code gty}, {@code appidacr},
 *     {@code azpacr}, {@code idtyp: app}, a {@code /userinfo} audience);</li>
 * <li>{@code sub} is present and not blank (OIDC Core §2);</li>
 * <li>when a nonce is expected, {@code nonce} equals it (rule 11).</li>
 * </ol>
 *
 * <p><b>Keys.</b> Unless a {@link Builder#jwkSource JWK source} is configured, the keys come from OIDC
 * discovery: {@code <issuer without trailing slash>/.well-known/openid-configuration} must name the
 * configured issuer exactly, and its {@code jwks_uri} is fetched with Nimbus's {@code JWKSourceBuilder}:
 * cached, refreshed ahead of expiry, refetched once (rate-limited) when a token names an unknown
 * {@code kid} so that key rotation is picked up, retried once on a network error, and kept serving while
 * the provider is unreachable. Discovery happens on the first validation, or at {@link #discover()};
 * after a failure it is tried again by the first validation a {@link Builder#discoveryRetryInterval} (by default
 * 5 seconds) later. When no keys can be had at all, validation throws {@link IssuerUnavailableException} (503),
 * not {@link TokenRejectedException} (401).
 *
 * <p><b>Cache.</b> A token that passed is remembered (by SHA-256, with the expected nonce) until it
 * expires, so repeated requests with the same token do no cryptography. A remembered identity never
 * outlives the token's {@code exp} plus the clock skew.
 *
 * <p>Rejections are logged at DEBUG with their reason only.
 */
public final class IdTokenValidator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdTokenValidator.class);

    /** The longest token accepted: STS's limit for {@code WebIdentityToken}. */
    public static final int MAX_TOKEN_LENGTH = TokenPrechecks.MAX_TOKEN_LENGTH;
    /** The algorithms allowed unless configured: RS256, which every OpenID Provider supports (OIDC Core §15.1). */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.RS256);
    /** The algorithms that may be allowed: RS*, PS*, ES256/384/512 and EdDSA (Ed25519, Ed448). */
    public static final Set<JWSAlgorithm> SUPPORTED_ALGORITHMS = supportedAlgorithms();
    /** The clock skew unless configured: 60 seconds. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    /** The largest clock skew accepted: 5 minutes. More would keep expired tokens alive. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** How long after {@code iat} a token is accepted unless configured: 24 hours. */
    public static final Duration DEFAULT_MAX_TOKEN_AGE = Duration.ofHours(24);
    /** The claim holding the user's groups unless configured: {@code groups}. */
    public static final String DEFAULT_GROUPS_CLAIM = "groups";
    /** The HTTP connect timeout for discovery and JWKS unless configured: 2 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** The HTTP read timeout for discovery and JWKS unless configured: 2 seconds. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(2);
    /** How long a fetched JWKS is used before it is fetched again unless configured: 5 minutes. */
    public static final Duration DEFAULT_JWKS_CACHE_TIME_TO_LIVE = Duration.ofMinutes(5);
    /** The shortest JWKS cache time to live accepted: 1 second. */
    public static final Duration MIN_JWKS_CACHE_TIME_TO_LIVE = Duration.ofSeconds(1);
    /** How many validated tokens are remembered unless configured: 10,000. */
    public static final long DEFAULT_VALIDATED_TOKEN_CACHE_SIZE = 10_000;
    /** Whether {@link VerifiedIdentity#email()} requires {@code email_verified} unless configured: yes. */
    public static final boolean DEFAULT_REQUIRE_VERIFIED_EMAIL = true;
    /** How long after a failed discovery validations fail fast before it is tried again, unless configured: 5 seconds. */
    public static final Duration DEFAULT_DISCOVERY_RETRY_INTERVAL = Duration.ofSeconds(5);

    private final URI issuer;
    private final String clientId;
    private final Set<JWSAlgorithm> algorithms;
    private final Duration clockSkew;
    private final Duration maxTokenAge;
    private final Clock clock;
    private final String groupsClaim;
    private final ConnectionResolver connectionResolver;
    private final boolean requireVerifiedEmail;
    private final IssuerKeys keys;
    private final DefaultJWTProcessor<ValidationContext> processor;
    private final ValidatedTokenCache cache;
    private final LogoutTokenVerifier logoutTokens;
    private final Telemetry telemetry = new Telemetry();
    private volatile boolean closed;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    private IdTokenValidator(Builder builder, Set<JWSAlgorithm> algorithms, Set<String> trustedAudiences) {
        this.issuer = builder.issuer;
        this.clientId = builder.clientId;
        this.algorithms = algorithms;
        this.clockSkew = builder.clockSkew;
        this.maxTokenAge = builder.maxTokenAge;
        this.clock = builder.clock;
        this.groupsClaim = builder.groupsClaim;
        this.connectionResolver = builder.connectionResolver;
        this.requireVerifiedEmail = builder.requireVerifiedEmail;
        this.connectTimeout = builder.connectTimeout;
        this.readTimeout = builder.readTimeout;
        this.keys = builder.jwkSource != null
                ? IssuerKeys.configured(issuer, algorithms, builder.jwkSource, builder.connectTimeout, builder.readTimeout,
                        builder.discoveryRetryInterval, clock)
                : IssuerKeys.discovered(issuer, algorithms, builder.connectTimeout, builder.readTimeout,
                        builder.jwksCacheTimeToLive, builder.discoveryRetryInterval, clock);
        this.keys.telemetry(telemetry);

        DefaultJWTProcessor<ValidationContext> jwtProcessor = new DefaultJWTProcessor<>();
        // Checked before already (TokenPrechecks); Nimbus's check stays as a second line.
        jwtProcessor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        jwtProcessor.setJWSKeySelector(new IssuerKeySelector(algorithms, keys));
        jwtProcessor.setJWSVerifierFactory(new IdTokenVerifierFactory());
        jwtProcessor.setJWTClaimsSetVerifier(new IdTokenClaimsVerifier(
                issuer.toString(), clientId, trustedAudiences, clockSkew, maxTokenAge));
        this.processor = jwtProcessor;
        this.cache = new ValidatedTokenCache(builder.validatedTokenCacheSize, clock);
        this.logoutTokens = new LogoutTokenVerifier(issuer.toString(), clientId, trustedAudiences, algorithms, keys, clockSkew, clock);
    }

    /** Returns a builder; {@link Builder#issuer} and {@link Builder#clientId} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the configured issuer. */
    public URI issuer() {
        return issuer;
    }

    /** Returns the configured client id. */
    public String clientId() {
        return clientId;
    }

    /**
     * Validates an ID token when no nonce was sent in the authentication request (or the caller does not
     * know it), as for a token presented by a client on an API call.
     *
     * @param idToken the compact-serialized ID token
     * @return the verified identity
     * @throws TokenRejectedException     when any check of OIDC Core §3.1.3.7 or RFC 8725 fails
     * @throws IssuerUnavailableException when the issuer's keys cannot be had (answer 503)
     * @throws IllegalStateException      after {@link #close()}
     */
    public VerifiedIdentity validate(String idToken) {
        return validate(idToken, null);
    }

    /**
     * Validates an ID token; when {@code expectedNonce} is given, the token's {@code nonce} must equal
     * it (OIDC Core §3.1.3.7 rule 11). A token carrying a nonce is accepted when none is expected.
     *
     * @param idToken       the compact-serialized ID token
     * @param expectedNonce the nonce sent in the authentication request, or {@code null}
     * @return the verified identity
     * @throws TokenRejectedException     when any check of OIDC Core §3.1.3.7 or RFC 8725 fails
     * @throws IssuerUnavailableException when the issuer's keys cannot be had (answer 503)
     * @throws IllegalStateException      after {@link #close()}
     */
    public VerifiedIdentity validate(String idToken, String expectedNonce) {
        if (closed) {
            throw new IllegalStateException("this ID token validator has been closed");
        }
        try {
            TokenPrechecks.checkShape(idToken);
            String cacheKey = ValidatedTokenCache.keyOf(idToken, expectedNonce);
            VerifiedIdentity remembered = cache.get(cacheKey);
            if (remembered != null) {
                telemetry.measure(m -> m.tokenValidation("valid"));
                return remembered;
            }
            Instant now = clock.instant();
            TokenPrechecks.Inspected inspected = TokenPrechecks.inspect(idToken, algorithms);
            JWTClaimsSet claims = verify(inspected.jwt(), new ValidationContext(now, expectedNonce));
            VerifiedIdentity identity = toIdentity(claims, inspected.claims());
            cache.put(cacheKey, identity, acceptableUntil(claims));
            telemetry.measure(m -> m.tokenValidation("valid"));
            return identity;
        } catch (TokenRejectedException e) {
            LOG.debug("{}", e.getMessage());
            telemetry.measure(m -> m.tokenValidation("rejected"));
            throw e;
        } catch (IssuerUnavailableException e) {
            telemetry.measure(m -> m.tokenValidation("unavailable"));
            throw e;
        }
    }

    /**
     * Validates a logout token the provider sent to the back-channel logout endpoint (OpenID Connect Back-Channel
     * Logout 1.0 §2.6): signed with the issuer's keys and an allowed algorithm, {@code iss} and {@code aud} as for an ID
     * token, {@code iat} neither in the future nor more than 5 minutes old, the back-channel logout event in
     * {@code events}, {@code sub} and/or {@code sid}, no {@code nonce}, and a {@code jti} not seen before on this node.
     *
     * @param logoutToken the compact-serialized logout token
     * @return who or which session signed out
     * @throws TokenRejectedException     naming the failed rule ("Logout token rejected: ...")
     * @throws IssuerUnavailableException when the issuer's keys cannot be had
     * @throws IllegalStateException      after {@link #close()}
     */
    public LogoutToken validateLogoutToken(String logoutToken) {
        if (closed) {
            throw new IllegalStateException("this ID token validator has been closed");
        }
        return logoutTokens.validate(logoutToken);
    }

    /** Returns the clock skew allowed in time checks. */
    public Duration clockSkew() {
        return clockSkew;
    }

    /** Returns how long after {@code iat} an ID token is accepted. */
    public Duration maxTokenAge() {
        return maxTokenAge;
    }

    /**
     * Performs OIDC discovery now, unless done already, and fetches the issuer's keys. The filter calls
     * it at start-up to fail fast on a wrong issuer, and to warn early of an unreachable one. Unlike a
     * validation, it does not wait for the retry interval after a failed discovery. With a configured
     * JWK source it only fetches the keys from it.
     *
     * @throws IssuerMisconfiguredException when the discovery document names another issuer or has no
     *                                      usable {@code jwks_uri} (OpenID Connect Discovery §4.3)
     * @throws IssuerUnavailableException   when the discovery document or the JWKS cannot be fetched
     */
    public void discover() {
        keys.discover();
    }

    /**
     * Returns the issuer's OpenID Connect Discovery 1.0 metadata, fetched once with its keys: the one source of provider
     * metadata, which the built-in login reads its endpoints from (authorization, token, end-session, revocation). A
     * failure is not retried for the discovery retry interval ({@link Builder#discoveryRetryInterval}).
     *
     * @throws IssuerMisconfiguredException when the discovery document names another issuer or has no usable
     *                                      {@code jwks_uri}
     * @throws IssuerUnavailableException   when the discovery document cannot be fetched
     */
    public OidcDiscovery discovery() {
        return keys.discovery();
    }

    /** Returns the HTTP connect timeout towards the provider, which the built-in login's token requests use too. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Returns the HTTP read timeout towards the provider, which the built-in login's token requests use too. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * Stops the background JWKS refresh thread. The validator must not be used afterwards. A configured
     * {@link Builder#jwkSource JWK source} is not closed: it belongs to whoever configured it.
     */
    @Override
    public void close() {
        closed = true;
        keys.close();
    }

    /**
     * Returns where validations, JWKS and discovery fetches are measured and traced: internal, shared with the
     * {@link io.github.awsdelegation.DelegationService} built on this validator.
     */
    public Telemetry telemetry() {
        return telemetry;
    }

    @Override
    public String toString() {
        return "IdTokenValidator[issuer=" + issuer + ", clientId=" + clientId + ", algorithms=" + algorithms + "]";
    }

    private JWTClaimsSet verify(SignedJWT jwt, ValidationContext context) {
        try {
            return processor.process(jwt, context);
        } catch (BadJWSException e) {
            throw Rejections.rejected("invalid signature");
        } catch (BadJOSEException e) {
            // Our claims verifier's reasons, or Nimbus's own checks: neither quotes the token.
            throw Rejections.rejected(e.getMessage());
        } catch (KeyRejectedException e) {
            throw Rejections.rejected(e.getMessage());
        } catch (JOSEException e) {
            throw Rejections.rejected("the signature could not be verified: " + e.getMessage());
        }
    }

    private VerifiedIdentity toIdentity(JWTClaimsSet claims, Map<String, Object> json) {
        Map<String, Object> all = ClaimValues.copyOf(json);
        String subject = claims.getSubject();
        Connection connection = connectionResolver.resolve(subject, all);
        if (connection == null) {
            connection = Connection.UNKNOWN;
        }
        List<String> groups = ClaimValues.groups(all, groupsClaim);
        String email = ClaimValues.email(all, requireVerifiedEmail);
        return new VerifiedIdentity(issuer.toString(), subject, connection.type(), connection.name(), groups, email,
                claims.getExpirationTime().toInstant(), all);
    }

    /** The instant the token stops passing: exp plus skew, or iat plus the maximum age, whichever is first. */
    private Instant acceptableUntil(JWTClaimsSet claims) {
        Instant expiry = claims.getExpirationTime().toInstant().plus(clockSkew);
        Instant tooOld = claims.getIssueTime().toInstant().plus(maxTokenAge);
        return expiry.isBefore(tooOld) ? expiry : tooOld;
    }

    private static Set<JWSAlgorithm> supportedAlgorithms() {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        algorithms.addAll(JWSAlgorithm.Family.RSA);
        // ES256K is left out: the JDK has had no secp256k1 since Java 16.
        algorithms.addAll(List.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512));
        algorithms.addAll(EdDsaSupport.ALGORITHMS);
        return Set.copyOf(algorithms);
    }

    /**
     * Builds an {@link IdTokenValidator}. Every setting is checked by {@link #build()}, whose
     * {@link IllegalArgumentException} names the setter at fault. Not thread-safe.
     */
    public static final class Builder {

        private URI issuer;
        private String clientId;
        private Collection<String> trustedAudiences = List.of();
        private Collection<JWSAlgorithm> algorithms = DEFAULT_ALGORITHMS;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Duration maxTokenAge = DEFAULT_MAX_TOKEN_AGE;
        private Clock clock = Clock.systemUTC();
        private String groupsClaim = DEFAULT_GROUPS_CLAIM;
        private ConnectionResolver connectionResolver = ConnectionResolver.auth0();
        private JWKSource<SecurityContext> jwkSource;
        private long validatedTokenCacheSize = DEFAULT_VALIDATED_TOKEN_CACHE_SIZE;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration jwksCacheTimeToLive = DEFAULT_JWKS_CACHE_TIME_TO_LIVE;
        private boolean requireVerifiedEmail = DEFAULT_REQUIRE_VERIFIED_EMAIL;
        private Duration discoveryRetryInterval = DEFAULT_DISCOVERY_RETRY_INTERVAL;

        private Builder() {
        }

        /**
         * Sets the issuer, exactly as the provider writes it in {@code iss} (OIDC Core §3.1.3.7 rule 2);
         * for Auth0 that is {@code https://TENANT.auth0.com/} with the trailing slash. Required. It must
         * be an {@code https} URL without query or fragment (OIDC Core §2); plain {@code http} is accepted
         * for loopback hosts only, for local test providers.
         */
        public Builder issuer(URI issuer) {
            this.issuer = issuer;
            return this;
        }

        /** Sets this relying party's client id, which every token's {@code aud} must contain. Required. */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /**
         * Sets the audiences a token may name besides the client id (OIDC Core §3.1.3.7 rule 3: a token
         * naming any other audience is rejected). By default, none.
         */
        public Builder trustedAudiences(Collection<String> trustedAudiences) {
            this.trustedAudiences = trustedAudiences;
            return this;
        }

        /**
         * Sets the allowed signature algorithms (RFC 8725 §3.1), among {@link #SUPPORTED_ALGORITHMS}:
         * RS256/384/512, PS256/384/512, ES256/384/512, EdDSA. {@code none} and HS256/384/512 are refused:
         * the issuer shares no secret with us. By default, RS256 only.
         */
        public Builder algorithms(Collection<JWSAlgorithm> algorithms) {
            this.algorithms = algorithms;
            return this;
        }

        /**
         * Sets the tolerance for clock differences in the {@code exp}, {@code nbf} and {@code iat} checks,
         * from zero to {@link #MAX_CLOCK_SKEW} (5 minutes). By default, 60 seconds.
         */
        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = clockSkew;
            return this;
        }

        /**
         * Sets how long after its {@code iat} a token is still accepted (OIDC Core §3.1.3.7 rule 10),
         * whatever its {@code exp}. By default, 24 hours.
         */
        public Builder maxTokenAge(Duration maxTokenAge) {
            this.maxTokenAge = maxTokenAge;
            return this;
        }

        /** Sets the clock the time checks and the validated-token cache use. By default, the system clock in UTC. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Sets the claim holding the user's groups: a JSON array of strings or a single string. Auth0
         * requires custom claims to be namespaced, e.g. {@code https://example.com/groups}. By default,
         * {@code groups}.
         */
        public Builder groupsClaim(String groupsClaim) {
            this.groupsClaim = groupsClaim;
            return this;
        }

        /** Sets how the connection a user signed in through is found. By default, {@link ConnectionResolver#auth0()}. */
        public Builder connectionResolver(ConnectionResolver connectionResolver) {
            this.connectionResolver = connectionResolver;
            return this;
        }

        /**
         * Sets the source of the issuer's keys, instead of OIDC discovery: for tests, and for providers
         * whose keys are configured statically (e.g. Nimbus's {@code ImmutableJWKSet}). Only its public
         * keys are used, with the same checks as discovered ones. By default, none: discovery is used.
         */
        public Builder jwkSource(JWKSource<SecurityContext> jwkSource) {
            this.jwkSource = jwkSource;
            return this;
        }

        /** Sets how many validated tokens are remembered; 0 turns the cache off. By default, 10,000. */
        public Builder validatedTokenCacheSize(long validatedTokenCacheSize) {
            this.validatedTokenCacheSize = validatedTokenCacheSize;
            return this;
        }

        /** Sets the HTTP connect timeout for the discovery document and the JWKS. By default, 2 seconds. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Sets the HTTP read timeout for the discovery document and the JWKS. By default, 2 seconds. */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        /**
         * Sets how long a fetched JWKS is used before it is fetched again, at least
         * {@link #MIN_JWKS_CACHE_TIME_TO_LIVE}. A token naming an unknown {@code kid} causes an earlier
         * refetch, at most twice per 30 seconds (or per half the time to live, if shorter); while the
         * provider is unreachable, the keys fetched before keep serving for ten times the time to live.
         * By default, 5 minutes.
         */
        public Builder jwksCacheTimeToLive(Duration jwksCacheTimeToLive) {
            this.jwksCacheTimeToLive = jwksCacheTimeToLive;
            return this;
        }

        /**
         * Sets how long validations fail fast with the last failure after OIDC discovery failed, instead of each
         * waiting for the provider's timeouts; the first validation after it tries again. Zero retries at once.
         * By default, 5 seconds.
         */
        public Builder discoveryRetryInterval(Duration discoveryRetryInterval) {
            this.discoveryRetryInterval = discoveryRetryInterval;
            return this;
        }

        /**
         * Sets whether {@link VerifiedIdentity#email()} is filled only when the token says
         * {@code email_verified: true} (OIDC Core §5.1). Role rules on email domains are only safe with
         * verified addresses: many providers let users sign up with any address. The {@code email} claim
         * stays in {@link VerifiedIdentity#claims()} either way. By default, true.
         */
        public Builder requireVerifiedEmail(boolean requireVerifiedEmail) {
            this.requireVerifiedEmail = requireVerifiedEmail;
            return this;
        }

        /**
         * Checks the settings and builds the validator. No network access happens here; discovery waits
         * for the first validation or {@link IdTokenValidator#discover()}.
         *
         * @throws IllegalArgumentException naming the setter whose value is missing or wrong
         */
        public IdTokenValidator build() {
            checkIssuer();
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("clientId: required, the client id the provider issued to this application");
            }
            Set<String> audiences = checkTrustedAudiences();
            Set<JWSAlgorithm> allowed = checkAlgorithms();
            requireBetween("clockSkew", clockSkew, Duration.ZERO, MAX_CLOCK_SKEW);
            requirePositive("maxTokenAge", maxTokenAge);
            if (clock == null) {
                throw new IllegalArgumentException("clock: must not be null");
            }
            if (groupsClaim == null || groupsClaim.isBlank()) {
                throw new IllegalArgumentException("groupsClaim: must name a claim, e.g. 'groups'");
            }
            if (connectionResolver == null) {
                throw new IllegalArgumentException("connectionResolver: must not be null; use ConnectionResolver.auth0() or fromClaim(...)");
            }
            if (validatedTokenCacheSize < 0) {
                throw new IllegalArgumentException("validatedTokenCacheSize: must be 0 (off) or more, was " + validatedTokenCacheSize);
            }
            requireBetween("connectTimeout", connectTimeout, Duration.ofMillis(1), Duration.ofMillis(Integer.MAX_VALUE));
            requireBetween("readTimeout", readTimeout, Duration.ofMillis(1), Duration.ofMillis(Integer.MAX_VALUE));
            requireBetween("jwksCacheTimeToLive", jwksCacheTimeToLive, MIN_JWKS_CACHE_TIME_TO_LIVE, Duration.ofDays(1));
            requireBetween("discoveryRetryInterval", discoveryRetryInterval, Duration.ZERO, Duration.ofHours(1));
            return new IdTokenValidator(this, allowed, audiences);
        }

        private void checkIssuer() {
            if (issuer == null) {
                throw new IllegalArgumentException("issuer: required, the provider's issuer URL as in the iss claim, e.g. https://example.auth0.com/");
            }
            if (!IssuerUrls.isSecureOrLoopback(issuer) || issuer.getRawQuery() != null || issuer.getRawFragment() != null
                    || issuer.getRawUserInfo() != null) {
                throw new IllegalArgumentException("issuer: must be an https URL without user info, query or fragment"
                        + " (OIDC Core §2; http only for loopback test providers), was " + issuer);
            }
        }

        private Set<String> checkTrustedAudiences() {
            if (trustedAudiences == null) {
                throw new IllegalArgumentException("trustedAudiences: must not be null; use an empty list for none");
            }
            Set<String> audiences = new LinkedHashSet<>();
            for (String audience : trustedAudiences) {
                if (audience == null || audience.isBlank()) {
                    throw new IllegalArgumentException("trustedAudiences: must not contain null or blank audiences");
                }
                audiences.add(audience);
            }
            return Set.copyOf(audiences);
        }

        private Set<JWSAlgorithm> checkAlgorithms() {
            if (algorithms == null || algorithms.isEmpty()) {
                throw new IllegalArgumentException("algorithms: at least one is required, e.g. RS256");
            }
            Set<JWSAlgorithm> allowed = new LinkedHashSet<>();
            for (JWSAlgorithm algorithm : algorithms) {
                if (algorithm == null) {
                    throw new IllegalArgumentException("algorithms: must not contain null");
                }
                if ("none".equalsIgnoreCase(algorithm.getName())) {
                    throw new IllegalArgumentException("algorithms: 'none' is refused: unsigned tokens prove nothing (RFC 8725 §3.1)");
                }
                if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
                    throw new IllegalArgumentException("algorithms: " + algorithm + " is refused: HMAC needs a secret shared with"
                            + " the issuer, and accepting it lets anyone sign with the issuer's public key (RFC 8725 §2.1)");
                }
                if (!SUPPORTED_ALGORITHMS.contains(algorithm)) {
                    throw new IllegalArgumentException("algorithms: " + algorithm + " is not supported; use some of " + SUPPORTED_ALGORITHMS);
                }
                allowed.add(algorithm);
            }
            return Set.copyOf(allowed);
        }

        private static void requirePositive(String setter, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(setter + ": must be positive, was " + value);
            }
        }

        private static void requireBetween(String setter, Duration value, Duration min, Duration max) {
            if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(setter + ": must be between " + min + " and " + max + ", was " + value);
            }
        }
    }
}

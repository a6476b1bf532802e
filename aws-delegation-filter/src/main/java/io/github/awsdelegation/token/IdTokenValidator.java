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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
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
 * <p><b>Keys.</b> Unless a {@link IdTokenValidatorBuilder#jwkSource JWK source} is configured, the keys come from OIDC
 * discovery: {@code <issuer without trailing slash>/.well-known/openid-configuration} must name the
 * configured issuer exactly, and its {@code jwks_uri} is fetched with Nimbus's {@code JWKSourceBuilder}:
 * cached, refreshed ahead of expiry, refetched once (rate-limited) when a token names an unknown
 * {@code kid} so that key rotation is picked up, retried once on a network error, and kept serving while
 * the provider is unreachable. Discovery happens on the first validation, or at {@link #discover()};
 * after a failure it is tried again by the first validation a
 * {@link IdTokenValidatorBuilder#discoveryRetryInterval} (by default
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

    private static final Consumer<Telemetry.Meters> VALID = m -> m.tokenValidation("valid");

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

    IdTokenValidator(IdTokenValidatorBuilder builder, Set<JWSAlgorithm> algorithms, Set<String> trustedAudiences) {
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

    /**
     * Returns a builder; {@link IdTokenValidatorBuilder#issuer} and {@link IdTokenValidatorBuilder#clientId} are required.
     */
    public static IdTokenValidatorBuilder builder() {
        return new IdTokenValidatorBuilder();
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
            if (idToken == null || idToken.isEmpty() || idToken.length() > MAX_TOKEN_LENGTH) {
                TokenPrechecks.checkShape(idToken); // says which
            }
            // A hit is the very token validated before (ValidatedTokenCache.keyOf): its shape was checked then. The
            // scan of every character is left for a miss.
            ValidatedTokenCache.Key cacheKey = ValidatedTokenCache.keyOf(idToken, expectedNonce);
            VerifiedIdentity remembered = cache.get(cacheKey);
            if (remembered != null) {
                telemetry.measure(VALID);
                return remembered;
            }
            TokenPrechecks.checkShape(idToken);
            Instant now = clock.instant();
            TokenPrechecks.Inspected inspected = TokenPrechecks.inspect(idToken, algorithms);
            JWTClaimsSet claims = verify(inspected.jwt(), new ValidationContext(now, expectedNonce));
            VerifiedIdentity identity = toIdentity(claims, inspected.claims());
            cache.put(cacheKey, identity, acceptableUntil(claims));
            telemetry.measure(VALID);
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
     * {@code events}, {@code sub} and/or {@code sid}, no {@code nonce}, and a {@code jti}. That the {@code jti} was not
     * used before (rule 8) is checked by {@link io.github.awsdelegation.DelegationService#logout}, which records it in
     * the revocation store ({@code cache.store}: this JVM's, or the cluster's).
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
     * failure is not retried for the discovery retry interval ({@link IdTokenValidatorBuilder#discoveryRetryInterval}).
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
     * {@link IdTokenValidatorBuilder#jwkSource JWK source} is not closed: it belongs to whoever configured it.
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

    /**
     * Returns the identity the role rules would see for a set of claims, <em>without checking anything</em>: the
     * connection, groups and verified email are read exactly as for a validated token. For dry runs alone (the
     * "explain" view, {@code io.github.awsdelegation.explain}); never hand its result to STS. The issuer is the configured
     * one; a missing {@code exp} reads as now.
     *
     * @param claims the ID token's claims as parsed JSON values; {@code sub} is required
     * @throws IllegalArgumentException when {@code sub} is missing or not a string
     */
    public VerifiedIdentity identityOf(Map<String, Object> claims) {
        if (!(claims.get("sub") instanceof String subject) || subject.isBlank()) {
            throw new IllegalArgumentException("the claims have no sub: give the user's subject, e.g. \"sub\": \"auth0|123\"");
        }
        Object exp = claims.get("exp");
        Instant expiresAt = exp instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : clock.instant();
        return toIdentity(subject, expiresAt, claims);
    }

    /** Returns what is known of the issuer's discovery document and keys: when fetched, and the last failure. */
    public IssuerStatus issuerStatus() {
        return keys.status();
    }

    private VerifiedIdentity toIdentity(JWTClaimsSet claims, Map<String, Object> json) {
        return toIdentity(claims.getSubject(), claims.getExpirationTime().toInstant(), json);
    }

    private VerifiedIdentity toIdentity(String subject, Instant expiresAt, Map<String, Object> json) {
        Map<String, Object> all = ClaimValues.copyOf(json);
        Connection connection = connectionResolver.resolve(subject, all);
        if (connection == null) {
            connection = Connection.UNKNOWN;
        }
        List<String> groups = ClaimValues.groups(all, groupsClaim);
        String email = ClaimValues.email(all, requireVerifiedEmail);
        return new VerifiedIdentity(issuer.toString(), subject, connection.type(), connection.name(), groups, email,
                expiresAt, all);
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
}

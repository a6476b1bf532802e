package io.github.awsdelegation.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.github.awsdelegation.token.internal.IssuerUrls;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds an {@link IdTokenValidator}; made by {@link IdTokenValidator#builder()}. Every setting is checked by
 * {@link #build()}, whose {@link IllegalArgumentException} names the setter at fault. Not thread-safe.
 */
public final class IdTokenValidatorBuilder {

    // Package-private: the validator's constructor reads the checked settings.
    URI issuer;
    String clientId;
    Collection<String> trustedAudiences = List.of();
    Collection<JWSAlgorithm> algorithms = IdTokenValidator.DEFAULT_ALGORITHMS;
    Duration clockSkew = IdTokenValidator.DEFAULT_CLOCK_SKEW;
    Duration maxTokenAge = IdTokenValidator.DEFAULT_MAX_TOKEN_AGE;
    Clock clock = Clock.systemUTC();
    String groupsClaim = IdTokenValidator.DEFAULT_GROUPS_CLAIM;
    ConnectionResolver connectionResolver = ConnectionResolver.auth0();
    JWKSource<SecurityContext> jwkSource;
    long validatedTokenCacheSize = IdTokenValidator.DEFAULT_VALIDATED_TOKEN_CACHE_SIZE;
    Duration connectTimeout = IdTokenValidator.DEFAULT_CONNECT_TIMEOUT;
    Duration readTimeout = IdTokenValidator.DEFAULT_READ_TIMEOUT;
    Duration jwksCacheTimeToLive = IdTokenValidator.DEFAULT_JWKS_CACHE_TIME_TO_LIVE;
    boolean requireVerifiedEmail = IdTokenValidator.DEFAULT_REQUIRE_VERIFIED_EMAIL;
    Duration discoveryRetryInterval = IdTokenValidator.DEFAULT_DISCOVERY_RETRY_INTERVAL;

    IdTokenValidatorBuilder() {
    }

    /**
     * Sets the issuer, exactly as the provider writes it in {@code iss} (OIDC Core §3.1.3.7 rule 2);
     * for Auth0 that is {@code https://TENANT.auth0.com/} with the trailing slash. Required. It must
     * be an {@code https} URL without query or fragment (OIDC Core §2); plain {@code http} is accepted
     * for loopback hosts only, for local test providers.
     */
    public IdTokenValidatorBuilder issuer(URI issuer) {
        this.issuer = issuer;
        return this;
    }

    /** Sets this relying party's client id, which every token's {@code aud} must contain. Required. */
    public IdTokenValidatorBuilder clientId(String clientId) {
        this.clientId = clientId;
        return this;
    }

    /**
     * Sets the audiences a token may name besides the client id (OIDC Core §3.1.3.7 rule 3: a token
     * naming any other audience is rejected). By default, none.
     */
    public IdTokenValidatorBuilder trustedAudiences(Collection<String> trustedAudiences) {
        this.trustedAudiences = trustedAudiences;
        return this;
    }

    /**
     * Sets the allowed signature algorithms (RFC 8725 §3.1), among {@link IdTokenValidator#SUPPORTED_ALGORITHMS}:
     * RS256/384/512, PS256/384/512, ES256/384/512, EdDSA. {@code none} and HS256/384/512 are refused:
     * the issuer shares no secret with us. By default, RS256 only.
     */
    public IdTokenValidatorBuilder algorithms(Collection<JWSAlgorithm> algorithms) {
        this.algorithms = algorithms;
        return this;
    }

    /**
     * Sets the tolerance for clock differences in the {@code exp}, {@code nbf} and {@code iat} checks,
     * from zero to {@link IdTokenValidator#MAX_CLOCK_SKEW} (5 minutes). By default, 60 seconds.
     */
    public IdTokenValidatorBuilder clockSkew(Duration clockSkew) {
        this.clockSkew = clockSkew;
        return this;
    }

    /**
     * Sets how long after its {@code iat} a token is still accepted (OIDC Core §3.1.3.7 rule 10),
     * whatever its {@code exp}. By default, 24 hours.
     */
    public IdTokenValidatorBuilder maxTokenAge(Duration maxTokenAge) {
        this.maxTokenAge = maxTokenAge;
        return this;
    }

    /** Sets the clock the time checks and the validated-token cache use. By default, the system clock in UTC. */
    public IdTokenValidatorBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /**
     * Sets the claim holding the user's groups: a JSON array of strings or a single string. Auth0
     * requires custom claims to be namespaced, e.g. {@code https://example.com/groups}. By default,
     * {@code groups}.
     */
    public IdTokenValidatorBuilder groupsClaim(String groupsClaim) {
        this.groupsClaim = groupsClaim;
        return this;
    }

    /** Sets how the connection a user signed in through is found. By default, {@link ConnectionResolver#auth0()}. */
    public IdTokenValidatorBuilder connectionResolver(ConnectionResolver connectionResolver) {
        this.connectionResolver = connectionResolver;
        return this;
    }

    /**
     * Sets the source of the issuer's keys, instead of OIDC discovery: for tests, and for providers
     * whose keys are configured statically (e.g. Nimbus's {@code ImmutableJWKSet}). Only its public
     * keys are used, with the same checks as discovered ones. By default, none: discovery is used.
     */
    public IdTokenValidatorBuilder jwkSource(JWKSource<SecurityContext> jwkSource) {
        this.jwkSource = jwkSource;
        return this;
    }

    /** Sets how many validated tokens are remembered; 0 turns the cache off. By default, 10,000. */
    public IdTokenValidatorBuilder validatedTokenCacheSize(long validatedTokenCacheSize) {
        this.validatedTokenCacheSize = validatedTokenCacheSize;
        return this;
    }

    /** Sets the HTTP connect timeout for the discovery document and the JWKS. By default, 2 seconds. */
    public IdTokenValidatorBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    /** Sets the HTTP read timeout for the discovery document and the JWKS. By default, 2 seconds. */
    public IdTokenValidatorBuilder readTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
        return this;
    }

    /**
     * Sets how long a fetched JWKS is used before it is fetched again, at least
     * {@link IdTokenValidator#MIN_JWKS_CACHE_TIME_TO_LIVE}. A token naming an unknown {@code kid} causes an earlier
     * refetch, at most twice per 30 seconds (or per half the time to live, if shorter); while the
     * provider is unreachable, the keys fetched before keep serving for ten times the time to live.
     * By default, 5 minutes.
     */
    public IdTokenValidatorBuilder jwksCacheTimeToLive(Duration jwksCacheTimeToLive) {
        this.jwksCacheTimeToLive = jwksCacheTimeToLive;
        return this;
    }

    /**
     * Sets how long validations fail fast with the last failure after OIDC discovery failed, instead of each
     * waiting for the provider's timeouts; the first validation after it tries again. Zero retries at once.
     * By default, 5 seconds.
     */
    public IdTokenValidatorBuilder discoveryRetryInterval(Duration discoveryRetryInterval) {
        this.discoveryRetryInterval = discoveryRetryInterval;
        return this;
    }

    /**
     * Sets whether {@link VerifiedIdentity#email()} is filled only when the token says
     * {@code email_verified: true} (OIDC Core §5.1). Role rules on email domains are only safe with
     * verified addresses: many providers let users sign up with any address. The {@code email} claim
     * stays in {@link VerifiedIdentity#claims()} either way. By default, true.
     */
    public IdTokenValidatorBuilder requireVerifiedEmail(boolean requireVerifiedEmail) {
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
        requireBetween("clockSkew", clockSkew, Duration.ZERO, IdTokenValidator.MAX_CLOCK_SKEW);
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
        requireBetween("jwksCacheTimeToLive", jwksCacheTimeToLive, IdTokenValidator.MIN_JWKS_CACHE_TIME_TO_LIVE, Duration.ofDays(1));
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
            if (!IdTokenValidator.SUPPORTED_ALGORITHMS.contains(algorithm)) {
                throw new IllegalArgumentException("algorithms: " + algorithm + " is not supported; use some of " + IdTokenValidator.SUPPORTED_ALGORITHMS);
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

package io.github.awsdelegation.token.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import io.github.awsdelegation.metrics.internal.Telemetry;
import io.github.awsdelegation.token.IssuerMisconfiguredException;
import io.github.awsdelegation.token.IssuerUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's signing keys: either a JWK source given in configuration, or the JWKS found by OIDC
 * discovery. Discovery happens on first use (or at {@link #discover()}); when it fails, requests during
 * the next {@code discoveryRetryInterval} fail fast with the same reason instead of each waiting for
 * the provider's timeouts, and the first request after it tries again.
 *
 * <p>It decides what a key source failure means: no keys at all is {@link IssuerUnavailableException}
 * (503); a token whose {@code kid} is missing from keys we have is the token's problem.
 */
public final class IssuerKeys implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);

    /** Discovery documents are small (Auth0's is 2 KiB, Keycloak's 10 KiB). */
    private static final int DISCOVERY_SIZE_LIMIT = 256 * 1024;

    private final URI issuer;
    private final Set<JWSAlgorithm> algorithms;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration jwksCacheTimeToLive;
    private final Duration discoveryRetryInterval;
    private final Clock clock;
    private final JWKSource<SecurityContext> configuredSource;

    private final Object lock = new Object();
    private volatile RemoteJwks remote;
    private volatile OidcDiscovery discovery;
    private IssuerUnavailableException lastFailure;
    private Instant lastFailureAt;
    private volatile boolean closed;
    private volatile Telemetry telemetry = new Telemetry();

    private IssuerKeys(URI issuer, Set<JWSAlgorithm> algorithms, Duration connectTimeout, Duration readTimeout,
                       Duration jwksCacheTimeToLive, Duration discoveryRetryInterval, Clock clock,
                       JWKSource<SecurityContext> configuredSource) {
        this.issuer = issuer;
        this.algorithms = algorithms;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.jwksCacheTimeToLive = jwksCacheTimeToLive;
        this.discoveryRetryInterval = discoveryRetryInterval;
        this.clock = clock;
        this.configuredSource = configuredSource;
    }

    /** Returns keys found by OIDC discovery of {@code issuer}, on first use. */
    public static IssuerKeys discovered(URI issuer, Set<JWSAlgorithm> algorithms, Duration connectTimeout,
                                        Duration readTimeout, Duration jwksCacheTimeToLive,
                                        Duration discoveryRetryInterval, Clock clock) {
        return new IssuerKeys(issuer, algorithms, connectTimeout, readTimeout, jwksCacheTimeToLive,
                discoveryRetryInterval, clock, null);
    }

    /** Returns keys from a configured source, for a validator that never needs the discovery document. */
    public static IssuerKeys configured(URI issuer, Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> source) {
        return configured(issuer, algorithms, source, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5),
                Clock.systemUTC());
    }

    /**
     * Returns keys from a configured source; the discovery document is fetched only when {@link #discovery()} asks
     * for it (the built-in login's endpoints).
     */
    public static IssuerKeys configured(URI issuer, Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> source,
                                        Duration connectTimeout, Duration readTimeout, Duration discoveryRetryInterval,
                                        Clock clock) {
        return new IssuerKeys(issuer, algorithms, connectTimeout, readTimeout, null, discoveryRetryInterval, clock,
                Objects.requireNonNull(source));
    }

    /**
     * Returns the issuer's discovery document, fetched once (with the keys, unless they are configured); a failure is
     * remembered for the retry interval, as for the keys.
     *
     * @throws IssuerMisconfiguredException when the discovery document contradicts the configuration
     * @throws IssuerUnavailableException   when it cannot be fetched
     */
    public OidcDiscovery discovery() {
        OidcDiscovery known = discovery;
        if (known != null) {
            return known;
        }
        synchronized (lock) {
            if (discovery == null) {
                if (lastFailure != null && clock.instant().isBefore(lastFailureAt.plus(discoveryRetryInterval))) {
                    throw copyOf(lastFailure);
                }
                if (configuredSource == null) {
                    attemptDiscovery();
                } else {
                    try {
                        discovery = fetchDiscovery();
                        lastFailure = null;
                    } catch (IssuerUnavailableException e) {
                        lastFailure = e;
                        lastFailureAt = clock.instant();
                        throw retryAfterInterval(e);
                    }
                }
            }
            return discovery;
        }
    }

    /** Sets where discovery and JWKS fetches are measured and traced (the validator's); before first use. */
    public void telemetry(Telemetry telemetry) {
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    }

    private OidcDiscovery fetchDiscovery() {
        Telemetry t = telemetry;
        try {
            OidcDiscovery fetched = t.inSpan("OIDC discovery", () -> OidcDiscovery.fetch(issuer, retriever()),
                    "url.full", IssuerUrls.discoveryUri(issuer).toString());
            t.measure(m -> m.discoveryFetch("success"));
            return fetched;
        } catch (RuntimeException e) {
            t.measure(m -> m.discoveryFetch("failure"));
            throw e;
        }
    }

    private DefaultResourceRetriever retriever() {
        return new DefaultResourceRetriever(Math.toIntExact(connectTimeout.toMillis()),
                Math.toIntExact(readTimeout.toMillis()), DISCOVERY_SIZE_LIMIT);
    }

    /**
     * Returns the keys the selector matches, refetching the JWKS once when none does (key rotation).
     *
     * @throws IssuerUnavailableException when there are no keys to select from
     */
    public List<JWK> select(JWKSelector selector) {
        if (closed) {
            throw new IllegalStateException("the ID token validator has been closed");
        }
        if (configuredSource != null) {
            try {
                return configuredSource.get(selector, null);
            } catch (KeySourceException e) {
                throw new IssuerUnavailableException("the configured JWK source of issuer " + issuer
                        + " failed: " + e.getMessage(), e);
            }
        }
        RemoteJwks jwks = remote != null ? remote : discoverLazily();
        try {
            return jwks.source().get(selector, null);
        } catch (RateLimitReachedException e) {
            // Nimbus refused a refetch. With keys at hand this is either a forged or stale kid, or a
            // cache expiry that met an exhausted rate limit: answer from the keys we have either way.
            JWKSet last = jwks.lastFetchedWithinOutageTolerance();
            if (last != null) {
                return selector.select(last);
            }
            throw new IssuerUnavailableException("the JWKS " + jwks.url() + " of issuer " + issuer
                    + " could not be fetched yet, and refetching is rate-limited; retry shortly", e);
        } catch (KeySourceException e) {
            throw new IssuerUnavailableException("the JWKS " + jwks.url() + " of issuer " + issuer
                    + " cannot be fetched and no keys are cached: " + e.getMessage(), e);
        }
    }

    /**
     * Discovers the issuer now (if not done yet) and fetches its keys, so that a deployment learns at
     * start-up whether the issuer is reachable and configured right.
     *
     * @throws IssuerMisconfiguredException when the discovery document contradicts the configuration
     * @throws IssuerUnavailableException   when the document or the keys cannot be fetched
     */
    public void discover() {
        if (configuredSource == null && remote == null) {
            synchronized (lock) {
                if (remote == null) {
                    attemptDiscovery();
                }
            }
        }
        List<JWK> keys = select(new JWKSelector(new JWKMatcher.Builder().build()));
        long usable = keys.stream().filter(key -> algorithms.stream().anyMatch(alg -> key.getKeyType().equals(KeyType.forAlgorithm(alg)))).count();
        if (usable == 0) {
            LOG.warn("The JWKS of issuer {} has {} keys, none of a type the allowed algorithms {} can use",
                    issuer, keys.size(), algorithms);
        } else {
            LOG.info("Issuer {}: {} signing keys", issuer, usable);
        }
    }

    private RemoteJwks discoverLazily() {
        synchronized (lock) {
            if (remote != null) {
                return remote;
            }
            if (lastFailure != null && clock.instant().isBefore(lastFailureAt.plus(discoveryRetryInterval))) {
                throw copyOf(lastFailure);
            }
            return attemptDiscovery();
        }
    }

    // Call with the lock held.
    private RemoteJwks attemptDiscovery() {
        try {
            OidcDiscovery discovery = fetchDiscovery();
            if (!discovery.signingAlgorithms().isEmpty()
                    && algorithms.stream().map(JWSAlgorithm::getName).noneMatch(discovery.signingAlgorithms()::contains)) {
                LOG.warn("Issuer {} signs ID tokens with {}, none of the allowed algorithms {}: every token will be rejected",
                        issuer, discovery.signingAlgorithms(), algorithms);
            }
            RemoteJwks discovered = new RemoteJwks(discovery.jwksUrl(), connectTimeout, readTimeout, jwksCacheTimeToLive,
                    telemetry);
            remote = discovered;
            this.discovery = discovery;
            lastFailure = null;
            LOG.info("Issuer {} discovered: JWKS at {}", issuer, discovery.jwksUrl());
            return discovered;
        } catch (IssuerUnavailableException e) {
            lastFailure = e;
            lastFailureAt = clock.instant();
            LOG.warn("{}", e.getMessage());
            throw retryAfterInterval(e);
        }
    }

    private IssuerUnavailableException copyOf(IssuerUnavailableException failure) {
        if (failure instanceof IssuerMisconfiguredException) {
            return new IssuerMisconfiguredException(failure.getMessage());
        }
        return new IssuerUnavailableException(failure.getMessage() + " (not retried before the retry interval)",
                retryAfter(), failure.getCause());
    }

    // A client may try again when discovery will be tried again: after the configured retry interval.
    private IssuerUnavailableException retryAfterInterval(IssuerUnavailableException e) {
        return e instanceof IssuerMisconfiguredException || e.retryAfter().equals(retryAfter()) ? e
                : new IssuerUnavailableException(e.getMessage(), retryAfter(), e.getCause());
    }

    private Duration retryAfter() {
        return discoveryRetryInterval.isZero() ? Duration.ofSeconds(1) : discoveryRetryInterval;
    }

    /** Stops the background JWKS refresh. A configured source is left alone: its owner closes it. */
    @Override
    public void close() {
        closed = true;
        RemoteJwks jwks = remote;
        if (jwks != null) {
            try {
                jwks.close();
            } catch (IOException e) {
                LOG.debug("Closing the JWKS source failed", e);
            }
        }
    }
}

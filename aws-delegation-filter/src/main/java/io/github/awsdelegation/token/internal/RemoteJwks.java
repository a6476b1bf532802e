package io.github.awsdelegation.token.internal;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import io.github.awsdelegation.metrics.internal.Telemetry;
import java.io.Closeable;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's JWKS as a Nimbus {@link JWKSource} built with {@link JWKSourceBuilder}: cached, refreshed
 * ahead of expiry in the background, refetched when a token names an unknown {@code kid} (key rotation)
 * but at most twice per rate-limit interval (so forged {@code kid}s cannot make us hammer the
 * provider), retried once on a network error, and tolerant of outages: when the provider cannot be
 * reached, the keys last fetched keep verifying tokens for ten cache lifetimes.
 *
 * <p>It also remembers the last JWKS fetched, for {@link IssuerKeys} to fall back on when the rate limit
 * stops a refetch.
 */
final class RemoteJwks implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteJwks.class);

    /** How many cache lifetimes a fetched JWKS keeps serving while the provider is unreachable. */
    static final int OUTAGE_TOLERANCE_CACHE_LIFETIMES = 10;

    private final URL url;
    private final LastFetched lastFetched;
    private final JWKSource<SecurityContext> source;
    private final long outageToleranceMillis;

    RemoteJwks(URL url, Duration connectTimeout, Duration readTimeout, Duration cacheTimeToLive) {
        this(url, connectTimeout, readTimeout, cacheTimeToLive, new Telemetry());
    }

    RemoteJwks(URL url, Duration connectTimeout, Duration readTimeout, Duration cacheTimeToLive, Telemetry telemetry) {
        this.url = url;
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(
                Math.toIntExact(connectTimeout.toMillis()), Math.toIntExact(readTimeout.toMillis()),
                JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT);
        this.lastFetched = new LastFetched(new URLBasedJWKSetSource<>(url, retriever), telemetry, url.toString());

        // Nimbus's defaults (5 min, 15 s, 30 s, 30 s) scaled down for short lifetimes, which Nimbus
        // requires to be longer than the rate-limit interval and the refresh-ahead time plus timeout.
        long ttl = cacheTimeToLive.toMillis();
        long refreshTimeout = Math.min(JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT, ttl / 4);
        long refreshAhead = Math.min(JWKSourceBuilder.DEFAULT_REFRESH_AHEAD_TIME, ttl / 4);
        long rateLimitInterval = Math.min(JWKSourceBuilder.DEFAULT_RATE_LIMIT_MIN_INTERVAL, ttl / 2);
        this.outageToleranceMillis = ttl * OUTAGE_TOLERANCE_CACHE_LIFETIMES;

        // Our own executor: Nimbus's default one has a non-daemon thread that would outlive an undeployed web app.
        ExecutorService refresher = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "aws-delegation-jwks-refresh");
            thread.setDaemon(true);
            return thread;
        });
        this.source = JWKSourceBuilder.create(lastFetched)
                .cache(ttl, refreshTimeout)
                .refreshAheadCache(refreshAhead, event -> LOG.debug("JWKS {}: {}", url, event.getClass().getSimpleName()),
                        refresher, true, null, false)
                .rateLimited(rateLimitInterval, event -> LOG.debug("JWKS {}: refetch rate-limited", url))
                .retrying(true)
                .outageTolerant(outageToleranceMillis, event -> {
                    if (event instanceof OutageTolerantJWKSetSource.OutageEvent<?> outage) {
                        LOG.warn("JWKS {} cannot be fetched ({}); verifying with the keys fetched before, for up to {} s more",
                                url, outage.getException().getMessage(), outage.getRemainingTime() / 1000);
                    }
                })
                .build();
    }

    URL url() {
        return url;
    }

    JWKSource<SecurityContext> source() {
        return source;
    }

    /** Returns the JWKS last fetched while it is within the outage tolerance, or {@code null}. */
    JWKSet lastFetchedWithinOutageTolerance() {
        LastFetched.Snapshot snapshot = lastFetched.snapshot;
        if (snapshot == null || System.currentTimeMillis() - snapshot.fetchedAtMillis > outageToleranceMillis) {
            return null;
        }
        return snapshot.jwkSet;
    }

    @Override
    public void close() throws IOException {
        if (source instanceof Closeable closeable) {
            closeable.close();
        }
    }

    /** The bottom of the chain: fetches over HTTP and remembers what it got. */
    private static final class LastFetched implements JWKSetSource<SecurityContext> {

        private record Snapshot(JWKSet jwkSet, long fetchedAtMillis) {
        }

        private final JWKSetSource<SecurityContext> delegate;
        private final Telemetry telemetry;
        private final String url;
        private volatile Snapshot snapshot;

        LastFetched(JWKSetSource<SecurityContext> delegate, Telemetry telemetry, String url) {
            this.delegate = delegate;
            this.telemetry = telemetry;
            this.url = url;
        }

        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime, SecurityContext context)
                throws KeySourceException {
            JWKSet jwkSet;
            try {
                jwkSet = telemetry.inSpan("JWKS fetch", () -> {
                    try {
                        return delegate.getJWKSet(refreshEvaluator, currentTime, context);
                    } catch (KeySourceException e) {
                        throw new FetchFailed(e);
                    }
                }, "url.full", url);
            } catch (FetchFailed e) {
                telemetry.measure(m -> m.jwksFetch("failure"));
                throw e.cause;
            } catch (RuntimeException e) {
                telemetry.measure(m -> m.jwksFetch("failure"));
                throw e;
            }
            telemetry.measure(m -> m.jwksFetch("success"));
            // Nimbus's caches use the system clock, so this does too.
            snapshot = new Snapshot(jwkSet, System.currentTimeMillis());
            LOG.debug("JWKS fetched: {} keys", jwkSet.getKeys().size());
            return jwkSet;
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    // Carries Nimbus's checked exception through the span's supplier.
    private static final class FetchFailed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient KeySourceException cause;

        FetchFailed(KeySourceException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }
}

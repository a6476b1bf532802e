package io.github.awsdelegation.metrics.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@link Telemetry.Meters} on a Micrometer registry; the names and tags are those docs/operations.md lists, and
 * {@link io.github.awsdelegation.metrics.DelegationMetrics} holds them as constants. Loaded only when an app binds a
 * registry.
 */
public final class MicrometerMeters implements Telemetry.Meters {

    private final MeterRegistry registry;
    private final Tags common;

    /**
     * Creates the meters.
     *
     * @param registry where they are registered
     * @param common   tags every meter carries (e.g. the issuer, when an app runs several services)
     */
    public MicrometerMeters(MeterRegistry registry, Tags common) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.common = Objects.requireNonNull(common, "common");
    }

    @Override
    public void stsCall(String operation, String outcome, String errorCode, Duration latency) {
        Timer.builder(MeterNames.STS_CALLS)
                .description("Calls to AWS STS for users' credentials (the SDK's retries included)")
                .tags(common)
                .tags("operation", operation, "outcome", outcome, "error", errorCode == null ? "none" : errorCode)
                .register(registry)
                .record(latency);
    }

    @Override
    public void cacheRead(boolean hit) {
        counter(MeterNames.CACHE_REQUESTS, "Requests for credentials, answered from the cache or by STS",
                "result", hit ? "hit" : "miss").increment();
    }

    @Override
    public void cacheRefresh(String outcome) {
        counter(MeterNames.CACHE_REFRESHES, "Background refreshes of cached credentials ahead of expiry",
                "outcome", outcome).increment();
    }

    @Override
    public void tokenValidation(String outcome) {
        counter(MeterNames.TOKEN_VALIDATIONS, "ID token validations", "outcome", outcome).increment();
    }

    @Override
    public void jwksFetch(String outcome) {
        counter(MeterNames.JWKS_FETCHES, "Fetches of the issuer's JWKS", "outcome", outcome).increment();
    }

    @Override
    public void discoveryFetch(String outcome) {
        counter(MeterNames.DISCOVERY_FETCHES, "Fetches of the issuer's OpenID Connect discovery document",
                "outcome", outcome).increment();
    }

    /** Returns a counter with the common tags and the given ones. */
    public Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(common).tags(tags).register(registry);
    }
}

package io.github.awsdelegation.metrics;

import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.DelegationListener;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.metrics.internal.MeterNames;
import io.github.awsdelegation.metrics.internal.MicrometerMeters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Binds a {@link DelegationService}'s metrics to a Micrometer {@link MeterRegistry}: role decisions by outcome and rule,
 * STS calls by operation and outcome with their latency, cache hits, misses, refreshes and evictions, the cache's
 * size, token validations by outcome, JWKS and discovery fetches, how long issued credentials are valid, and requests
 * refused by a budget of STS calls. docs/operations.md ("Metrics") lists every name and tag.
 *
 * <pre>{@code
 * new DelegationMetrics(service).bindTo(registry);
 * }</pre>
 *
 * <p>With the servlet filter, bind it in a {@link io.github.awsdelegation.servlet.DelegationServiceCustomizer}, or put
 * the registry in the servlet context attribute {@value #REGISTRY_ATTRIBUTE} before the filter starts; the CDI module
 * binds a {@code MeterRegistry} bean when there is one. Micrometer ({@code io.micrometer:micrometer-core}) is an
 * optional dependency: only this class needs it.
 */
public final class DelegationMetrics implements MeterBinder {

    /** The servlet context attribute the filter takes a {@code MeterRegistry} from, when set before it starts. */
    public static final String REGISTRY_ATTRIBUTE = "io.github.awsdelegation.metrics.MeterRegistry";

    /**
     * Binds a service's metrics to a registry given as an {@code Object} (a servlet context attribute, a CDI bean),
     * for callers that must load without Micrometer on the class path.
     *
     * @throws IllegalArgumentException when {@code registry} is not a {@code MeterRegistry}
     */
    public static void bind(DelegationService service, Object registry) {
        if (!(registry instanceof MeterRegistry meterRegistry)) {
            throw new IllegalArgumentException("not a io.micrometer.core.instrument.MeterRegistry: "
                    + (registry == null ? null : registry.getClass().getName()));
        }
        new DelegationMetrics(service).bindTo(meterRegistry);
    }

    private final DelegationService service;
    private final Tags tags;

    /** Creates the binder of a service's metrics. */
    public DelegationMetrics(DelegationService service) {
        this(service, Tags.empty());
    }

    /**
     * Creates the binder of a service's metrics, with tags every meter carries (e.g. {@code application}, when an app
     * runs several services).
     */
    public DelegationMetrics(DelegationService service, Iterable<Tag> tags) {
        this.service = Objects.requireNonNull(service, "service");
        this.tags = Tags.of(tags);
    }

    /**
     * Registers the meters: the stages report to the registry from now on. Bind a service once (to a
     * {@code CompositeMeterRegistry} for several backends).
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        MicrometerMeters meters = new MicrometerMeters(registry, tags);
        Gauge.builder(MeterNames.CACHE_SIZE, service.broker(), broker -> broker.size())
                .description("Credentials in the cache (one per user, role and session shape)")
                .tags(tags)
                .strongReference(false)
                .register(registry);
        service.telemetry().meters(meters);
        service.addListener(new EventMeters(registry, meters, tags));
    }

    /** Counts what the events say: decisions, evictions, throttled requests, and the validity of issued credentials. */
    private static final class EventMeters implements DelegationListener {

        private final MeterRegistry registry;
        private final MicrometerMeters meters;
        private final Tags tags;

        EventMeters(MeterRegistry registry, MicrometerMeters meters, Tags tags) {
            this.registry = registry;
            this.meters = meters;
            this.tags = tags;
        }

        @Override
        public void onEvent(DelegationEvent event) {
            switch (event.type()) {
                case DECIDED, DENIED -> meters.counter(MeterNames.DECISIONS, "Role decisions",
                        "outcome", event.type() == DelegationEvent.Type.DECIDED ? "granted" : "denied",
                        "rule", event.ruleId() == null ? "none" : event.ruleId(),
                        "entry.point", lower(event.entryPoint().name())).increment();
                case ISSUED, REFRESHED -> {
                    if (event.expiration() != null && event.time() != null) {
                        DistributionSummary.builder(MeterNames.CREDENTIALS_VALIDITY)
                                .description("How long credentials are valid when STS issues them")
                                .baseUnit("seconds")
                                .tags(tags)
                                .tag("rule", event.ruleId() == null ? "none" : event.ruleId())
                                .register(registry)
                                .record(Math.max(0, Duration.between(event.time(), event.expiration()).toSeconds()));
                    }
                }
                case EVICTED -> meters.counter(MeterNames.CACHE_EVICTIONS, "Evictions of a user's cached credentials",
                        "cause", lower(event.evictionCause().name())).increment();
                case THROTTLED -> meters.counter(MeterNames.THROTTLED,
                        "Requests refused because a budget of STS calls is spent",
                        "limit", limitTag(event.limit())).increment();
                case FAILED -> {
                    // STS calls are measured where they are made, with their latency.
                }
            }
        }

        private static String lower(String name) {
            return name.toLowerCase(Locale.ROOT);
        }

        // A budget's name may carry an account and a region: the tag keeps the kind only, to bound its values.
        private static String limitTag(String limit) {
            if (limit == null) {
                return "unknown";
            }
            int colon = limit.indexOf(':');
            return colon < 0 ? limit : limit.substring(0, colon);
        }
    }

    @Override
    public String toString() {
        return "DelegationMetrics[" + service + "]";
    }
}

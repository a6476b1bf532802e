package io.github.awsdelegation.metrics.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the stages report what metrics and traces are made of: STS calls, cache reads, token validations, JWKS and
 * discovery fetches. One per {@link io.github.awsdelegation.DelegationService} (its validator's), measuring nothing
 * until {@link io.github.awsdelegation.metrics.DelegationMetrics} binds a Micrometer registry to it; spans go to
 * OpenTelemetry's global tracer when the OpenTelemetry API is on the class path (a no-op without an SDK), and nowhere
 * without it. Neither library is needed on the class path: their classes are only loaded when present.
 * Thread-safe; a meter or a span that throws never changes a request's outcome.
 */
public final class Telemetry {

    private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);

    /** What is measured; every method does nothing by default. Implementations must be quick and thread-safe. */
    public interface Meters {

        /** One call to STS (the SDK's retries included), by operation and outcome, with its latency. */
        default void stsCall(String operation, String outcome, String errorCode, Duration latency) {
        }

        /** A request for credentials answered from the cache ({@code hit}) or by a call to STS. */
        default void cacheRead(boolean hit) {
        }

        /** A background refresh ahead of expiry, by outcome. */
        default void cacheRefresh(String outcome) {
        }

        /** An ID token validation, by outcome: {@code valid}, {@code rejected}, {@code unavailable}. */
        default void tokenValidation(String outcome) {
        }

        /** A fetch of the issuer's JWKS, by outcome. */
        default void jwksFetch(String outcome) {
        }

        /** A fetch of the issuer's discovery document, by outcome. */
        default void discoveryFetch(String outcome) {
        }
    }

    /** Where spans go. */
    public interface Spans {

        /**
         * Runs work in a client span named {@code name}, its attributes given as name-value pairs; the span records an
         * exception the work throws, which is rethrown.
         */
        <T> T inSpan(String name, Supplier<T> work, String... attributes);
    }

    private static final Meters NO_METERS = new Meters() {
    };

    private static final Spans NO_SPANS = new Spans() {
        @Override
        public <T> T inSpan(String name, Supplier<T> work, String... attributes) {
            return work.get();
        }
    };

    private volatile Meters meters = NO_METERS;
    private volatile Spans spans;
    // Kept apart from the spans so that asking does not load the OpenTelemetry classes.
    private volatile boolean tracing;

    /** Creates a hub that measures nothing yet, and traces to OpenTelemetry when its API is on the class path. */
    public Telemetry() {
        this.spans = openTelemetrySpans();
        this.tracing = spans != NO_SPANS;
    }

    /** Returns the meters in use (none until a registry is bound). */
    public Meters meters() {
        return meters;
    }

    /** Replaces the meters (binding a registry). */
    public void meters(Meters meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Replaces where spans go. */
    public void spans(Spans spans) {
        this.spans = Objects.requireNonNull(spans, "spans");
        this.tracing = spans != NO_SPANS;
    }

    /** Runs work in a span ({@link Spans#inSpan}). */
    public <T> T inSpan(String name, Supplier<T> work, String... attributes) {
        return spans.inSpan(name, work, attributes);
    }

    /** Reports a measurement; a meter that throws is logged and ignored. */
    public void measure(java.util.function.Consumer<Meters> measurement) {
        try {
            measurement.accept(meters);
        } catch (RuntimeException e) {
            LOG.warn("A meter failed; the request's outcome is unchanged", e);
        }
    }

    // The OpenTelemetry API is optional: its classes are touched only when it is on the class path.
    private static Spans openTelemetrySpans() {
        try {
            Class.forName("io.opentelemetry.api.GlobalOpenTelemetry", false, Telemetry.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return NO_SPANS;
        }
        try {
            return new OpenTelemetrySpans();
        } catch (LinkageError e) {
            LOG.debug("OpenTelemetry API present but unusable; no spans", e);
            return NO_SPANS;
        }
    }

    /**
     * Sends spans to a given OpenTelemetry instance rather than the global one.
     *
     * @param openTelemetry an {@code io.opentelemetry.api.OpenTelemetry}; typed {@code Object} so that this class
     *                      loads without the OpenTelemetry API
     */
    public void openTelemetry(Object openTelemetry) {
        spans(new OpenTelemetrySpans((io.opentelemetry.api.OpenTelemetry) openTelemetry));
    }

    /** Returns whether spans go to OpenTelemetry. */
    public boolean tracing() {
        return tracing;
    }

    @Override
    public String toString() {
        return "Telemetry[meters=" + (meters == NO_METERS ? "none" : meters.getClass().getSimpleName()) + ", spans="
                + (tracing() ? "OpenTelemetry" : "none") + "]";
    }
}

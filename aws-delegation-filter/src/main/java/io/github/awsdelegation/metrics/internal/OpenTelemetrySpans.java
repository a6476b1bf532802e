package io.github.awsdelegation.metrics.internal;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Client spans on an OpenTelemetry tracer named {@value #INSTRUMENTATION_NAME}: the global one unless given (a no-op
 * until an SDK or the Java agent registers itself). Loaded only when the OpenTelemetry API is on the class path.
 */
final class OpenTelemetrySpans implements Telemetry.Spans {

    /** The instrumentation scope name of the spans. */
    static final String INSTRUMENTATION_NAME = "io.github.awsdelegation";

    private final OpenTelemetry openTelemetry;

    /** Spans on the global OpenTelemetry, looked up at each span (an agent or SDK may register it later). */
    OpenTelemetrySpans() {
        this.openTelemetry = null;
    }

    /** Spans on a given OpenTelemetry, for tests and apps that do not use the global one. */
    OpenTelemetrySpans(OpenTelemetry openTelemetry) {
        this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    }

    private Tracer tracer() {
        return (openTelemetry != null ? openTelemetry : GlobalOpenTelemetry.get()).getTracer(INSTRUMENTATION_NAME);
    }

    @Override
    public <T> T inSpan(String name, Supplier<T> work, String... attributes) {
        SpanBuilder builder = tracer().spanBuilder(name).setSpanKind(SpanKind.CLIENT);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                builder.setAttribute(attributes[i], attributes[i + 1]);
            }
        }
        Span span = builder.startSpan();
        try (Scope scope = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException | Error e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            span.recordException(e);
            throw e;
        } finally {
            span.end();
        }
    }
}

package io.github.awsdelegation.sample;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The shop's Micrometer registry, in Prometheus format. It is a bean, so the CDI module binds the filter's metrics to
 * it (decisions, STS calls, cache, token validations, ...: docs/operations.md); {@code /admin/metrics} shows it
 * ({@link AdminMetrics}, {@link LoopbackMetrics}).
 */
@ApplicationScoped
public class PrometheusMetrics {

    /** The Prometheus text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    // A MeterRegistry has no no-args constructor, so CDI cannot proxy it: a pseudo-scope.
    @Produces
    @Singleton
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Writes every meter in Prometheus format. */
    void scrape(HttpServletResponse response) throws IOException {
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}

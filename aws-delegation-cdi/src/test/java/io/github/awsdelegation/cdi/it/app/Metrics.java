package io.github.awsdelegation.cdi.it.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The app's Micrometer registry, as a bean: the CDI module binds the filter's metrics to it. */
@ApplicationScoped
public class Metrics {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    // A MeterRegistry has no no-args constructor, so CDI cannot proxy it: a pseudo-scope, as Micrometer's docs advise.
    @Produces
    @Singleton
    MeterRegistry registry() {
        return registry;
    }
}

package io.github.awsdelegation.cdi.internal;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.explain.Explainer;
import io.github.awsdelegation.health.DelegationHealth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;

/**
 * The filter's running service, handed over by {@link CdiServiceCustomizer} when the filter starts, for the beans that
 * live outside requests: the service's {@link DelegationHealth} and {@link Explainer} ({@code @Dependent}: final classes,
 * which CDI cannot proxy; both are thread-safe and live as long as the service).
 */
@ApplicationScoped
public class StartedService {

    private volatile DelegationService service;

    void started(DelegationService service) {
        this.service = service;
    }

    DelegationService service() {
        DelegationService started = service;
        if (started == null) {
            throw new IllegalStateException("the aws-delegation filter has not started in this web app yet: its health and "
                    + "explainer exist once its init has run");
        }
        return started;
    }

    @Produces
    @Dependent
    @Typed(DelegationHealth.class)
    DelegationHealth health() {
        return service().health();
    }

    @Produces
    @Dependent
    @Typed(Explainer.class)
    Explainer explainer() {
        return service().explainer();
    }
}

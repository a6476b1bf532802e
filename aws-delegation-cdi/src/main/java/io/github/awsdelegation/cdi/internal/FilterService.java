package io.github.awsdelegation.cdi.internal;

import io.github.awsdelegation.DelegationService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Holds the filter's service once the filter started ({@link CdiServiceCustomizer}), for application-wide beans. */
@ApplicationScoped
public class FilterService {

    private volatile DelegationService service;

    /** Sets the filter's service; called once, when the filter starts. */
    public void set(DelegationService service) {
        this.service = service;
    }

    /** Returns the filter's service, once the filter has started. */
    public Optional<DelegationService> get() {
        return Optional.ofNullable(service);
    }
}

package io.github.awsdelegation.cdi.internal;

import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.DelegationListener;
import io.github.awsdelegation.cdi.Decided;
import io.github.awsdelegation.cdi.Denied;
import io.github.awsdelegation.cdi.Evicted;
import io.github.awsdelegation.cdi.Failed;
import io.github.awsdelegation.cdi.Issued;
import io.github.awsdelegation.cdi.Refreshed;
import io.github.awsdelegation.cdi.Throttled;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import java.lang.annotation.Annotation;

/** Fires each {@link DelegationEvent} as a CDI event, qualified by what happened ({@link DelegationEvent#type()}). */
final class CdiEventPublisher implements DelegationListener {

    private final Event<DelegationEvent> events;

    CdiEventPublisher(BeanManager beanManager) {
        this.events = beanManager.getEvent().select(DelegationEvent.class);
    }

    @Override
    public void onEvent(DelegationEvent event) {
        Annotation qualifier = switch (event.type()) {
            case DECIDED -> Decided.Literal.INSTANCE;
            case ISSUED -> Issued.Literal.INSTANCE;
            case REFRESHED -> Refreshed.Literal.INSTANCE;
            case DENIED -> Denied.Literal.INSTANCE;
            case FAILED -> Failed.Literal.INSTANCE;
            case EVICTED -> Evicted.Literal.INSTANCE;
            case THROTTLED -> Throttled.Literal.INSTANCE;
        };
        events.select(qualifier).fire(event);
    }
}

package io.github.awsdelegation.cdi.internal;

import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.DelegationListener;
import io.github.awsdelegation.cdi.Denied;
import io.github.awsdelegation.cdi.Failed;
import io.github.awsdelegation.cdi.Issued;
import io.github.awsdelegation.cdi.Refreshed;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import java.lang.annotation.Annotation;

/** Fires each {@link DelegationEvent} as a CDI event, qualified by what happened. */
final class CdiEventPublisher implements DelegationListener {

    private final Event<DelegationEvent> events;

    CdiEventPublisher(BeanManager beanManager) {
        this.events = beanManager.getEvent().select(DelegationEvent.class);
    }

    @Override
    public void issued(DelegationEvent event) {
        fire(event, Issued.Literal.INSTANCE);
    }

    @Override
    public void refreshed(DelegationEvent event) {
        fire(event, Refreshed.Literal.INSTANCE);
    }

    @Override
    public void denied(DelegationEvent event) {
        fire(event, Denied.Literal.INSTANCE);
    }

    @Override
    public void failed(DelegationEvent event) {
        fire(event, Failed.Literal.INSTANCE);
    }

    private void fire(DelegationEvent event, Annotation qualifier) {
        events.select(qualifier).fire(event);
    }
}

package io.github.awsdelegation.internal;

import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.DelegationListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered {@link DelegationListener}s, told of each event in turn; a listener that throws is logged and
 * skipped, so that it cannot change the user's outcome. The role decider tells them of denials, the credential
 * broker of issued, refreshed and failed credentials.
 */
public final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<DelegationListener> listeners = new CopyOnWriteArrayList<>();

    /** Registers a listener. */
    public void add(DelegationListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener. */
    public void remove(DelegationListener listener) {
        listeners.remove(listener);
    }

    /** Tells every listener of an event, by its type. */
    public void tell(DelegationEvent event) {
        Consumer<DelegationListener> call = switch (event.type()) {
            case ISSUED -> l -> l.issued(event);
            case REFRESHED -> l -> l.refreshed(event);
            case DENIED -> l -> l.denied(event);
            case FAILED -> l -> l.failed(event);
        };
        for (DelegationListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("A DelegationListener ({}) failed; the user's outcome is unchanged", listener.getClass().getName(), e);
            }
        }
    }
}

package io.github.awsdelegation.internal;

import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.DelegationListener;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered {@link DelegationListener}s, told of each event in turn; a listener that throws is logged and
 * skipped, so that it cannot change the user's outcome. The role decider tells them of decisions and denials, the
 * credential broker of issued, refreshed and failed credentials and of evictions.
 */
public final class Listeners {

    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<DelegationListener> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;

    /** Creates the listeners of a service whose events are stamped with the system clock. */
    public Listeners() {
        this(Clock.systemUTC());
    }

    /** Creates the listeners of a service whose events are stamped with the given clock. */
    public Listeners(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Registers a listener. */
    public void add(DelegationListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener. */
    public void remove(DelegationListener listener) {
        listeners.remove(listener);
    }

    /**
     * Tells every listener of an event, by its type. An event without a time is stamped with this service's clock, and
     * one without a request id with the current request's ({@link CurrentRequest#id}).
     */
    public void tell(DelegationEvent reported) {
        dispatch(stamped(reported));
    }

    /**
     * Tells every listener of an event being built whose time and request id are not set: they are set to this service's
     * clock and the current request's id, and the event is built once (where {@link #tell(DelegationEvent)} rebuilds a
     * built event to stamp it). The role decider reports its decision of every request this way.
     */
    public void tell(DelegationEvent.Builder event) {
        event.time(clock.instant());
        String requestId = CurrentRequest.id();
        if (requestId != null) {
            event.requestId(requestId);
        }
        dispatch(event.build());
    }

    private void dispatch(DelegationEvent event) {
        for (DelegationListener listener : listeners) {
            try {
                switch (event.type()) {
                    case DECIDED -> listener.decided(event);
                    case ISSUED -> listener.issued(event);
                    case REFRESHED -> listener.refreshed(event);
                    case DENIED -> listener.denied(event);
                    case FAILED -> listener.failed(event);
                    case EVICTED -> listener.evicted(event);
                    case THROTTLED -> listener.throttled(event);
                }
            } catch (RuntimeException e) {
                LOG.warn("A DelegationListener ({}) failed; the user's outcome is unchanged", listener.getClass().getName(), e);
            }
        }
    }

    private DelegationEvent stamped(DelegationEvent event) {
        String requestId = event.requestId() != null ? null : CurrentRequest.id();
        if (event.time() != null && requestId == null) {
            return event;
        }
        DelegationEvent.Builder b = event.toBuilder();
        if (event.time() == null) {
            b.time(clock.instant());
        }
        if (requestId != null) {
            b.requestId(requestId);
        }
        return b.build();
    }
}

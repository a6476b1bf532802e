package io.github.awsdelegation.internal;

import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.DelegationListener;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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
        DelegationEvent event = stamped(reported);
        Consumer<DelegationListener> call = switch (event.type()) {
            case DECIDED -> l -> l.decided(event);
            case ISSUED -> l -> l.issued(event);
            case REFRESHED -> l -> l.refreshed(event);
            case DENIED -> l -> l.denied(event);
            case FAILED -> l -> l.failed(event);
            case EVICTED -> l -> l.evicted(event);
            case THROTTLED -> l -> l.throttled(event);
        };
        for (DelegationListener listener : listeners) {
            try {
                call.accept(listener);
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

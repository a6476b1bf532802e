package io.github.awsdelegation.testkit;

import java.util.Objects;

/**
 * Which {@link Fault} the next call of a local service meets: a standing fault for every call, or a temporary one
 * for the next few calls (one throttle, then success: how a retry is tested). Thread-safe.
 */
final class FaultSchedule {

    private Fault standing = Fault.NONE;
    private Fault temporary = Fault.NONE;
    private int temporaryCalls;

    /** Applies {@code fault} to every call from now on, ending a temporary one; {@link Fault#NONE} ends it. */
    synchronized void set(Fault fault) {
        standing = Objects.requireNonNull(fault, "fault");
        temporaryCalls = 0;
    }

    /** Applies {@code fault} to the next {@code calls} calls only. */
    synchronized void set(Fault fault, int calls) {
        if (calls < 1) {
            throw new IllegalArgumentException("setFault: calls must be at least 1, got " + calls);
        }
        temporary = Objects.requireNonNull(fault, "fault");
        temporaryCalls = calls;
    }

    /** Returns the standing fault. */
    synchronized Fault standing() {
        return standing;
    }

    /** Returns the fault of the call that arrives now, counting a temporary one down. */
    synchronized Fault take() {
        if (temporaryCalls > 0) {
            temporaryCalls--;
            return temporary;
        }
        return standing;
    }
}

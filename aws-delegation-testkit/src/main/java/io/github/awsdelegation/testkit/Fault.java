package io.github.awsdelegation.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A fault {@link LocalSts} injects into its answers, for fault-injection tests: {@link #NONE}, {@link #THROTTLE}
 * (400 {@code Throttling}, "Rate exceeded", as STS answers when a quota is hit), {@link #UNAVAILABLE} (503
 * {@code ServiceUnavailable}) or {@link #SLOW(Duration)} (a normal answer after a delay). Immutable.
 */
public final class Fault {

    /** What kind of fault. */
    public enum Kind {
        /** Answers normally. */
        NONE,
        /** Answers 400 {@code Throttling}. */
        THROTTLE,
        /** Answers 503 {@code ServiceUnavailable}. */
        UNAVAILABLE,
        /** Answers normally after a delay. */
        SLOW
    }

    /** No fault: answers normally. */
    public static final Fault NONE = new Fault(Kind.NONE, Duration.ZERO);
    /** Every call answers HTTP 400 with error code {@code Throttling} and message "Rate exceeded". */
    public static final Fault THROTTLE = new Fault(Kind.THROTTLE, Duration.ZERO);
    /** Every call answers HTTP 503 with error code {@code ServiceUnavailable}. */
    public static final Fault UNAVAILABLE = new Fault(Kind.UNAVAILABLE, Duration.ZERO);

    private final Kind kind;
    private final Duration delay;

    private Fault(Kind kind, Duration delay) {
        this.kind = kind;
        this.delay = delay;
    }

    /**
     * Returns a fault that answers every call normally, but only after {@code delay} (to test client timeouts). A call
     * whose client gave up is still processed and recorded in {@link LocalSts#calls()} when the delay ends.
     *
     * @throws IllegalArgumentException when the delay is negative
     */
    public static Fault SLOW(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("Fault.SLOW delay must be zero or positive, got " + delay);
        }
        return new Fault(Kind.SLOW, delay);
    }

    /** Returns the kind of fault. */
    public Kind kind() {
        return kind;
    }

    /** Returns the delay of a {@link Kind#SLOW} fault, zero for the others. */
    public Duration delay() {
        return delay;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fault fault && fault.kind == kind && fault.delay.equals(delay);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, delay);
    }

    @Override
    public String toString() {
        return kind == Kind.SLOW ? "SLOW(" + delay + ")" : kind.name();
    }
}

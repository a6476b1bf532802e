package io.github.awsdelegation.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it, in the manner of Caffeine's {@code FakeTicker}: give it to
 * {@link LocalIdentityProviderBuilder#clock(Clock)} and {@link LocalStsBuilder#clock(Clock)} and
 * {@link #advance(Duration)} instead of sleeping. Thread-safe.
 */
public final class FakeClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private FakeClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Returns a clock in UTC standing at {@code instant}. */
    public static FakeClock at(Instant instant) {
        return new FakeClock(new AtomicReference<>(Objects.requireNonNull(instant, "instant")), ZoneOffset.UTC);
    }

    /** Returns a clock in UTC standing at the current system time, truncated to whole seconds. */
    public static FakeClock now() {
        return at(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
    }

    /** Moves the clock forward (or back, for a negative duration) and returns the new instant. */
    public Instant advance(Duration duration) {
        return now.updateAndGet(instant -> instant.plus(duration));
    }

    /** Sets the clock to {@code instant}. */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /** Returns the instant the clock stands at. */
    @Override
    public Instant instant() {
        return now.get();
    }

    /** Returns the zone. */
    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** Returns a view of this clock in another zone that moves with it. */
    @Override
    public Clock withZone(ZoneId newZone) {
        return new FakeClock(now, newZone);
    }

    @Override
    public String toString() {
        return "FakeClock[" + now.get() + "]";
    }
}

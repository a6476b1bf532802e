package io.github.awsdelegation.budget.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Allows at most {@code limit} events per key in any {@code window} (a rolling window: the times of the last
 * {@code limit} events are kept). Bounded: at most {@value #MAX_KEYS} keys, each forgotten a window after its last
 * event, so a flood of new keys costs memory once. Thread-safe.
 */
public final class RollingWindowLimiter {

    static final int MAX_KEYS = 100_000;

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, ArrayDeque<Instant>> events;

    /** Creates the limiter; a limit of 0 allows everything. */
    public RollingWindowLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.events = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterAccess(window)
                .ticker(() -> Duration.between(Instant.EPOCH, clock.instant()).toNanos()).build();
    }

    /**
     * Counts one event for the key and returns {@link Duration#ZERO} when it is within the limit; else counts nothing
     * and returns how long until the key's oldest event leaves the window.
     */
    public Duration acquire(String key) {
        if (limit <= 0) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        ArrayDeque<Instant> times = events.get(key, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && !now.isBefore(times.peekFirst().plus(window))) {
                times.pollFirst();
            }
            if (times.size() < limit) {
                times.addLast(now);
                return Duration.ZERO;
            }
            return Duration.between(now, times.peekFirst().plus(window));
        }
    }

    @Override
    public String toString() {
        return "RollingWindowLimiter[" + limit + " per " + window + "]";
    }
}

package io.github.awsdelegation.servlet.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Counts requests per key (a user, a client IP address) in fixed one-minute windows, as Auth0 limited its
 * delegation endpoint. Bounded: at most {@value #MAX_KEYS} keys are tracked, each forgotten a minute after its
 * window began, so a flood of new keys costs memory once and no more.
 */
final class RateLimits {

    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_KEYS = 100_000;

    private final int limit;
    private final Clock clock;
    private final Cache<String, Window> windows;

    RateLimits(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
        this.windows = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterWrite(WINDOW)
                .ticker(() -> Duration.between(Instant.EPOCH, clock.instant()).toNanos()).build();
    }

    /**
     * Counts one request for the key; returns {@link Duration#ZERO} when it is within the limit, else how long until
     * the key's window ends. A limit of 0 allows everything.
     */
    Duration acquire(String key) {
        if (limit <= 0) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        Window window = windows.get(key, k -> new Window(now));
        synchronized (window) {
            if (!now.isBefore(window.start.plus(WINDOW))) {
                window.start = now;
                window.count = 0;
            }
            window.count++;
            if (window.count <= limit) {
                return Duration.ZERO;
            }
            return Duration.between(now, window.start.plus(WINDOW));
        }
    }

    private static final class Window {
        Instant start;
        int count;

        Window(Instant start) {
            this.start = start;
        }
    }
}

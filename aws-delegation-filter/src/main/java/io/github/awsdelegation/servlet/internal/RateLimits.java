package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.budget.internal.RollingWindowLimiter;
import java.time.Clock;
import java.time.Duration;

/**
 * Counts requests per key (a user, a client IP address) in a rolling one-minute window, as Auth0 limited its
 * delegation endpoint: the same mechanism as the per-user STS budget ({@link RollingWindowLimiter}). Bounded: a
 * flood of new keys costs memory once and no more.
 */
final class RateLimits {

    static final Duration WINDOW = Duration.ofMinutes(1);

    private final RollingWindowLimiter limiter;

    RateLimits(int limit, Clock clock) {
        this.limiter = new RollingWindowLimiter(limit, WINDOW, clock);
    }

    /**
     * Counts one request for the key; returns {@link Duration#ZERO} when it is within the limit, else how long until
     * the key's oldest request in the window leaves it. A limit of 0 allows everything.
     */
    Duration acquire(String key) {
        return limiter.acquire(key);
    }
}

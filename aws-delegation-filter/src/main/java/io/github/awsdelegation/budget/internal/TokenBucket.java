package io.github.awsdelegation.budget.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket: holds at most {@code capacity} tokens, refilled at {@code ratePerSecond}; each event takes one.
 * Thread-safe.
 */
public final class TokenBucket {

    private final double ratePerSecond;
    private final double capacity;
    private final Clock clock;
    private double tokens;
    private Instant updated;

    /** Creates a full bucket. */
    public TokenBucket(double ratePerSecond, int capacity, Clock clock) {
        if (ratePerSecond <= 0 || capacity < 1) {
            throw new IllegalArgumentException("a token bucket needs a positive rate and a capacity of at least 1");
        }
        this.ratePerSecond = ratePerSecond;
        this.capacity = capacity;
        this.clock = clock;
        this.tokens = capacity;
        this.updated = clock.instant();
    }

    /** Takes a token and returns {@link Duration#ZERO}, or, when empty, takes nothing and returns how long until one is there. */
    public synchronized Duration tryAcquire() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil((1 - tokens) / ratePerSecond * 1e9));
    }

    /** Takes a token when there is one, never waiting or refusing: for work that must go on (a refresh). */
    public synchronized void takeIfAvailable() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
        }
    }

    private void refill() {
        Instant now = clock.instant();
        if (now.isAfter(updated)) {
            double seconds = Duration.between(updated, now).toNanos() / 1e9;
            tokens = Math.min(capacity, tokens + seconds * ratePerSecond);
            updated = now;
        }
    }

    @Override
    public synchronized String toString() {
        return "TokenBucket[rate=" + ratePerSecond + "/s, capacity=" + (long) capacity + "]";
    }
}

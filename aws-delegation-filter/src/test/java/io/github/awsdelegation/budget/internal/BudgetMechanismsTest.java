package io.github.awsdelegation.budget.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The two limits behind the STS budgets and the request limits, over a fake clock. */
class BudgetMechanismsTest {

    final FakeClock clock = FakeClock.now();

    @Test
    @DisplayName("a rolling window allows N events in any window: the next waits until the oldest leaves it")
    void rollingWindow() {
        RollingWindowLimiter limiter = new RollingWindowLimiter(2, Duration.ofMinutes(1), clock);
        assertThat(limiter.acquire("k")).isZero();
        clock.advance(Duration.ofSeconds(30));
        assertThat(limiter.acquire("k")).isZero();
        assertThat(limiter.acquire("k")).isEqualTo(Duration.ofSeconds(30));
        assertThat(limiter.acquire("other")).isZero();
        clock.advance(Duration.ofSeconds(30));
        assertThat(limiter.acquire("k")).as("the first left the window").isZero();
        assertThat(limiter.acquire("k")).as("the second is still in it").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    @DisplayName("a token bucket allows its capacity at once, then its rate; a refusal takes nothing; takeIfAvailable never refuses")
    void tokenBucket() {
        TokenBucket bucket = new TokenBucket(2, 3, clock);
        assertThat(bucket.tryAcquire()).isZero();
        assertThat(bucket.tryAcquire()).isZero();
        assertThat(bucket.tryAcquire()).isZero();
        assertThat(bucket.tryAcquire()).isEqualTo(Duration.ofMillis(500));
        bucket.takeIfAvailable(); // empty: nothing taken, nothing refused
        clock.advance(Duration.ofMillis(500));
        assertThat(bucket.tryAcquire()).isZero();
        assertThat(bucket.tryAcquire()).isEqualTo(Duration.ofMillis(500));
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryAcquire()).as("refilled to the capacity, no more").isZero();
        }
        assertThat(bucket.tryAcquire()).isPositive();
    }
}

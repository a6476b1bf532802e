package io.github.awsdelegation.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The delegation endpoint's per-user and per-address counters: a rolling one-minute window, each key on its own. */
class RateLimitsTest {

    @Test
    @DisplayName("over the limit a key waits until its window ends; other keys and the next window are unaffected")
    void acquire_limitPerKeyPerMinute() {
        FakeClock clock = FakeClock.now();
        RateLimits limits = new RateLimits(2, clock);

        assertThat(limits.acquire("alice")).isZero();
        clock.advance(Duration.ofSeconds(20));
        assertThat(limits.acquire("alice")).isZero();
        assertThat(limits.acquire("alice")).isEqualTo(Duration.ofSeconds(40));
        assertThat(limits.acquire("bob")).as("another user").isZero();
        clock.advance(Duration.ofSeconds(40));
        assertThat(limits.acquire("alice")).as("a new minute").isZero();
    }

    @Test
    @DisplayName("a limit of 0 turns limiting off")
    void acquire_zeroLimit_off() {
        RateLimits limits = new RateLimits(0, FakeClock.now());
        for (int i = 0; i < 100; i++) {
            assertThat(limits.acquire("alice")).isZero();
        }
    }
}

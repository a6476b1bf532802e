package io.github.awsdelegation.token.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.FakeClock;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The validated-token cache on a fake clock: keys, deadlines, eviction. */
class ValidatedTokenCacheTest {

    private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

    private static final ValidatedTokenCache.Key K = ValidatedTokenCache.keyOf("a.b.c", null);

    private final FakeClock clock = FakeClock.at(START);
    private final VerifiedIdentity identity = new VerifiedIdentity("https://issuer.example/", "auth0|1", ConnectionType.DATABASE,
            "auth0", List.of(), null, START.plusSeconds(60), Map.of());

    @Test
    void keyOf_nonceAbsentEmptyOrGiven_threeKeys() {
        assertThat(List.of(ValidatedTokenCache.keyOf("a.b.c", null), ValidatedTokenCache.keyOf("a.b.c", ""),
                ValidatedTokenCache.keyOf("a.b.c", "n"))).doesNotHaveDuplicates();
        assertThat(ValidatedTokenCache.keyOf("a.b.c", "n")).isEqualTo(ValidatedTokenCache.keyOf("a.b.c", "n"))
                .hasSameHashCodeAs(ValidatedTokenCache.keyOf("a.b.c", "n"))
                .isNotEqualTo(ValidatedTokenCache.keyOf("a.b.d", "n"));
        assertThat(ValidatedTokenCache.keyOf("a.b.c", "n")).hasToString("ValidatedTokenCache.Key");
    }

    @Test
    @DisplayName("An entry is served until its deadline, then neither served nor kept")
    void get_pastDeadline_nullAndEvicted() {
        ValidatedTokenCache cache = new ValidatedTokenCache(10, clock);
        cache.put(K, identity, START.plusSeconds(60));

        clock.set(START.plusSeconds(59));
        assertThat(cache.get(K)).isSameAs(identity);
        assertThat(cache.size()).isEqualTo(1);

        clock.set(START.plusSeconds(60));
        assertThat(cache.size()).isZero();
        assertThat(cache.get(K)).isNull();
    }

    @Test
    @DisplayName("A deadline between two milliseconds ends the entry at the earlier one, never later")
    void get_deadlineWithinAMillisecond_endsAtTheMillisecondBefore() {
        ValidatedTokenCache cache = new ValidatedTokenCache(10, clock);
        cache.put(K, identity, START.plusNanos(60_000_500_000L));

        clock.set(START.plusMillis(59_999));
        assertThat(cache.get(K)).isSameAs(identity);

        clock.set(START.plusMillis(60_000));
        assertThat(cache.get(K)).isNull();
    }

    @Test
    void put_deadlinePassed_notKept() {
        ValidatedTokenCache cache = new ValidatedTokenCache(10, clock);

        cache.put(K, identity, START);

        assertThat(cache.get(K)).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void put_deadlineCenturiesAway_kept() {
        ValidatedTokenCache cache = new ValidatedTokenCache(10, clock);

        cache.put(K, identity, Instant.parse("9999-12-31T23:59:59Z"));

        assertThat(cache.get(K)).isSameAs(identity);
    }

    @Test
    void sizeZero_remembersNothing() {
        ValidatedTokenCache cache = new ValidatedTokenCache(0, clock);

        cache.put(K, identity, START.plusSeconds(60));

        assertThat(cache.get(K)).isNull();
        assertThat(cache.size()).isZero();
    }
}

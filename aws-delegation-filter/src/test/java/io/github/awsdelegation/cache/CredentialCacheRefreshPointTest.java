package io.github.awsdelegation.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.plan.SessionKey;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** Where in the band between refreshAhead and minimumValidity each set of credentials is refreshed. */
class CredentialCacheRefreshPointTest {

    static final Instant NINE = Instant.parse("2026-11-23T09:00:00Z");
    static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);
    static final Duration MINIMUM_VALIDITY = Duration.ofMinutes(1);
    static final Duration LATEST = MINIMUM_VALIDITY.plus(CredentialCache.RETRY_MARGIN);

    final FakeClock clock = FakeClock.at(NINE);

    CredentialCache cache() {
        return CredentialCache.builder().clock(clock).refreshAhead(REFRESH_AHEAD).minimumValidity(MINIMUM_VALIDITY)
                .refreshExecutor(Runnable::run).build();
    }

    static SessionKey user(int n) {
        return new SessionKey("https://idp/", "user-" + n, "arn:aws:iam::123456789012:role/buyer", "");
    }

    IssuedCredentials issued(String id, Duration lifetime) {
        Instant expiration = clock.instant().plus(lifetime);
        return new IssuedCredentials(AwsSessionCredentials.builder().accessKeyId("ASIA" + id).secretAccessKey("SECRET")
                .sessionToken("TOKEN").expirationTime(expiration).build(), expiration, "arn:aws:iam::123456789012:role/buyer",
                "arn", "AROA:" + id);
    }

    @Test
    @DisplayName("a herd signed in at 9:00 is refreshed over the whole band, from refreshAhead to 1 minute above minimumValidity, each at its own point")
    void get_herd_refreshedAtPointsSpreadOverTheBand() {
        int users = 200;
        Map<Integer, Duration> refreshedWithLeft = new LinkedHashMap<>();
        try (CredentialCache cache = cache()) {
            for (int u = 0; u < users; u++) {
                cache.get(user(u), () -> issued("first", Duration.ofHours(1)));
            }
            // Every second from 6 minutes before expiry to the minimum validity, every user sends a request.
            for (clock.advance(Duration.ofMinutes(54)); clock.instant().isBefore(NINE.plus(Duration.ofMinutes(59)));
                    clock.advance(Duration.ofSeconds(1))) {
                Duration left = Duration.between(clock.instant(), NINE.plus(Duration.ofHours(1)));
                for (int u = 0; u < users; u++) {
                    int user = u;
                    IssuedCredentials served = cache.get(user(u), () -> issued("load", Duration.ofHours(1)), () -> {
                        refreshedWithLeft.put(user, left);
                        return issued("refreshed-" + user, Duration.ofHours(1));
                    });
                    assertThat(served.remainingAt(clock.instant())).isGreaterThan(MINIMUM_VALIDITY);
                }
            }
        }

        assertThat(refreshedWithLeft).as("each user's credentials refreshed once, in the background").hasSize(users);
        assertThat(refreshedWithLeft.values()).allSatisfy(left -> assertThat(left).isBetween(LATEST, REFRESH_AHEAD));
        Set<Duration> points = new HashSet<>(refreshedWithLeft.values());
        assertThat(points).as("distinct refresh instants of 200 users in a 180-second band").hasSizeGreaterThan(50);
        Duration middle = LATEST.plus(REFRESH_AHEAD.minus(LATEST).dividedBy(2));
        long late = refreshedWithLeft.values().stream().filter(left -> left.compareTo(middle) < 0).count();
        assertThat(late).as("later points are more likely (3 in 4 in the later half)").isBetween(130L, 170L);
        assertThat(users - late).as("the earlier half still has its share").isGreaterThan(30);
    }

    @Test
    @DisplayName("the refresh point follows from the key and the expiration alone: the same on every node, new with new credentials")
    void refreshPoint_deterministicPerKeyAndExpiration() {
        Instant expiration = NINE.plus(Duration.ofHours(1));
        try (CredentialCache node1 = cache(); CredentialCache node2 = cache()) {
            assertThat(node2.refreshPoint(user(1), expiration)).isEqualTo(node1.refreshPoint(user(1), expiration));

            Set<Duration> nextLifetimes = new HashSet<>();
            for (int hour = 1; hour <= 10; hour++) {
                nextLifetimes.add(node1.refreshPoint(user(1), NINE.plus(Duration.ofHours(hour))));
            }
            assertThat(nextLifetimes).hasSizeGreaterThan(5);
        }
    }

    @Test
    @DisplayName("when refreshAhead is close to minimumValidity, the latest point keeps half the gap above minimumValidity")
    void refreshPoint_narrowGap_halfTheGapAsMargin() {
        Duration refreshAhead = Duration.ofSeconds(70);
        Duration minimumValidity = Duration.ofSeconds(60); // 10 s apart: 5 s of margin, not RETRY_MARGIN
        try (CredentialCache cache = CredentialCache.builder().clock(clock).refreshAhead(refreshAhead)
                .minimumValidity(minimumValidity).refreshExecutor(Runnable::run).build()) {
            for (int u = 0; u < 100; u++) {
                assertThat(cache.refreshPoint(user(u), NINE)).isBetween(Duration.ofSeconds(65), refreshAhead);
            }
        }
    }

    @Test
    @DisplayName("with refreshAhead equal to minimumValidity every set of credentials is refreshed at refreshAhead")
    void refreshPoint_noGap_refreshAhead() {
        try (CredentialCache cache = CredentialCache.builder().clock(clock).refreshAhead(MINIMUM_VALIDITY)
                .minimumValidity(MINIMUM_VALIDITY).refreshExecutor(Runnable::run).build()) {
            assertThat(cache.refreshPoint(user(1), NINE)).isEqualTo(MINIMUM_VALIDITY);
        }
    }
}

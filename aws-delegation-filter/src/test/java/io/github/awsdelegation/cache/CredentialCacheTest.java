package io.github.awsdelegation.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.plan.SessionKey;
import io.github.awsdelegation.sts.CredentialsUnavailableException;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class CredentialCacheTest {

    final FakeClock clock = FakeClock.at(Instant.parse("2026-11-22T10:00:00Z"));
    final List<Runnable> pendingRefreshes = new ArrayList<>();
    final CredentialCache cache = CredentialCache.builder()
            .clock(clock)
            .refreshAhead(Duration.ofMinutes(5))
            .minimumValidity(Duration.ofMinutes(1))
            .refreshExecutor(pendingRefreshes::add) // run by the test, so that it decides when
            .build();
    /**
     * 2 minutes left of an hour: the latest end of the band of refresh points (1 minute above the minimum validity),
     * where every set of credentials is due for its refresh.
     */
    static final Duration AT_EVERY_REFRESH_POINT = Duration.ofMinutes(58);
    final AtomicInteger stsCalls = new AtomicInteger();
    final SessionKey alice = key("https://idp/", "alice", "arn:aws:iam::123456789012:role/buyer", null);

    /** A key of a user and role; a session policy (or {@code null}) stands for everything else that shapes the session. */
    static SessionKey key(String issuer, String subject, String roleArn, String sessionPolicy) {
        return new SessionKey(issuer, subject, roleArn, sessionPolicy == null ? "" : Integer.toHexString(sessionPolicy.hashCode()));
    }

    @AfterEach
    void close() {
        cache.close();
    }

    Supplier<IssuedCredentials> sts(Duration lifetime) {
        return () -> {
            int n = stsCalls.incrementAndGet();
            Instant expiration = clock.instant().plus(lifetime);
            return new IssuedCredentials(AwsSessionCredentials.builder().accessKeyId("ASIA" + n).secretAccessKey("SECRET-" + n)
                    .sessionToken("TOKEN-" + n).expirationTime(expiration).build(), expiration, alice.roleArn(), "arn", "AROA:" + n);
        };
    }

    @Test
    @DisplayName("a second request of the same user is served from the cache")
    void get_hit() {
        IssuedCredentials first = cache.get(alice, sts(Duration.ofHours(1)));
        IssuedCredentials second = cache.get(alice, sts(Duration.ofHours(1)));

        assertThat(second).isSameAs(first);
        assertThat(stsCalls).hasValue(1);
    }

    @Test
    @DisplayName("different roles, policies and users are cached apart")
    void get_keysApart() {
        cache.get(alice, sts(Duration.ofHours(1)));
        cache.get(key("https://idp/", "alice", "arn:aws:iam::123456789012:role/admin", null), sts(Duration.ofHours(1)));
        cache.get(key("https://idp/", "alice", alice.roleArn(), "{\"Statement\":[]}"), sts(Duration.ofHours(1)));
        cache.get(key("https://idp/", "bob", alice.roleArn(), null), sts(Duration.ofHours(1)));

        assertThat(stsCalls).hasValue(4);
    }

    @Test
    @DisplayName("past their refresh point, the current credentials are served and one background refresh replaces them")
    void get_refreshAhead() {
        IssuedCredentials first = cache.get(alice, sts(Duration.ofHours(1)));
        clock.advance(AT_EVERY_REFRESH_POINT);

        assertThat(cache.get(alice, sts(Duration.ofHours(1)))).isSameAs(first);
        assertThat(cache.get(alice, sts(Duration.ofHours(1)))).isSameAs(first);
        assertThat(pendingRefreshes).as("one refresh, however many requests").hasSize(1);

        pendingRefreshes.remove(0).run();

        IssuedCredentials refreshed = cache.get(alice, sts(Duration.ofHours(1)));
        assertThat(refreshed).isNotSameAs(first);
        assertThat(refreshed.expiration()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(stsCalls).hasValue(2);
    }

    @Test
    @DisplayName("credentials about to expire are never served: the request waits for new ones")
    void get_nearlyExpired_reloads() {
        IssuedCredentials first = cache.get(alice, sts(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(59).plusSeconds(30)); // 30 s left

        IssuedCredentials next = cache.get(alice, sts(Duration.ofHours(1)));

        assertThat(next).isNotSameAs(first);
        assertThat(next.remainingAt(clock.instant())).isEqualTo(Duration.ofHours(1));
        assertThat(stsCalls).hasValue(2);
    }

    @Test
    @DisplayName("a failed refresh keeps the current credentials in use")
    void get_failedRefresh_keepsCurrent() {
        IssuedCredentials first = cache.get(alice, sts(Duration.ofHours(1)));
        clock.advance(AT_EVERY_REFRESH_POINT);
        cache.get(alice, () -> {
            throw new CredentialsUnavailableException("STS down", Duration.ofSeconds(5), null);
        });
        pendingRefreshes.remove(0).run();

        assertThat(cache.get(alice, sts(Duration.ofHours(1)))).isSameAs(first);
    }

    @Test
    @DisplayName("a failed load is not cached: the error reaches the caller and the next request tries again")
    void get_failure_notCached() {
        assertThatThrownBy(() -> cache.get(alice, () -> {
            throw new CredentialsUnavailableException("STS down", Duration.ofSeconds(5), null);
        })).isInstanceOf(CredentialsUnavailableException.class);

        cache.get(alice, sts(Duration.ofHours(1)));
        assertThat(stsCalls).hasValue(1);
    }

    @Test
    @DisplayName("64 concurrent requests of one user cause exactly one STS call")
    void get_singleFlight() throws Exception {
        CountDownLatch stsEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Supplier<IssuedCredentials> slowSts = () -> {
            stsEntered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sts(Duration.ofHours(1)).get();
        };
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<IssuedCredentials>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return cache.get(alice, slowSts);
                }));
            }
            start.countDown();
            assertThat(stsEntered.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200); // let the other 63 pile up behind the one load
            release.countDown();
            IssuedCredentials one = results.get(0).get(10, TimeUnit.SECONDS);
            for (Future<IssuedCredentials> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(one);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(stsCalls).hasValue(1);
    }

    @Test
    @DisplayName("logout drops every cached role of that user and no one else's")
    void invalidateUser() {
        cache.get(alice, sts(Duration.ofHours(1)));
        cache.get(key("https://idp/", "alice", "arn:aws:iam::123456789012:role/admin", null), sts(Duration.ofHours(1)));
        SessionKey bob = key("https://idp/", "bob", alice.roleArn(), null);
        IssuedCredentials bobs = cache.get(bob, sts(Duration.ofHours(1)));

        cache.invalidateUser("https://idp/", "alice");

        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get(bob, sts(Duration.ofHours(1)))).isSameAs(bobs);
        cache.get(alice, sts(Duration.ofHours(1)));
        assertThat(stsCalls).hasValue(4);
    }

    @Test
    @DisplayName("a load still waiting for STS when the user logs out is handed to its request but not cached")
    void invalidateUser_loadInFlight_notCached() throws Exception {
        CountDownLatch stsEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<IssuedCredentials> inFlight = pool.submit(() -> cache.get(alice, blockedSts(stsEntered, release)));
            assertThat(stsEntered.await(10, TimeUnit.SECONDS)).isTrue();

            cache.invalidateUser("https://idp/", "alice");
            release.countDown();
            IssuedCredentials before = inFlight.get(10, TimeUnit.SECONDS);

            assertThat(cache.size()).isZero();
            IssuedCredentials after = cache.get(alice, sts(Duration.ofHours(1)));
            assertThat(after).isNotSameAs(before);
            assertThat(stsCalls).hasValue(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a background refresh still waiting for STS when the user logs out puts nothing back")
    void invalidateUser_refreshInFlight_notCached() throws Exception {
        cache.get(alice, sts(Duration.ofHours(1)));
        clock.advance(AT_EVERY_REFRESH_POINT);
        CountDownLatch stsEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        cache.get(alice, sts(Duration.ofHours(1)), blockedSts(stsEntered, release));
        assertThat(pendingRefreshes).hasSize(1);
        Thread refresh = new Thread(pendingRefreshes.remove(0));
        refresh.start();
        assertThat(stsEntered.await(10, TimeUnit.SECONDS)).isTrue();

        cache.invalidateUser("https://idp/", "alice");
        release.countDown();
        refresh.join(10_000);

        assertThat(stsCalls).hasValue(2);
        assertThat(cache.size()).isZero();
        cache.get(alice, sts(Duration.ofHours(1)));
        assertThat(stsCalls).hasValue(3);
    }

    @Test
    @DisplayName("a refresh scheduled before the logout and run after it puts nothing back")
    void invalidateUser_refreshQueued_notCached() {
        cache.get(alice, sts(Duration.ofHours(1)));
        clock.advance(AT_EVERY_REFRESH_POINT);
        cache.get(alice, sts(Duration.ofHours(1)));

        cache.invalidateUser("https://idp/", "alice");
        pendingRefreshes.remove(0).run();

        assertThat(cache.size()).isZero();
        cache.get(alice, sts(Duration.ofHours(1)));
        assertThat(stsCalls).hasValue(3);
    }

    @Test
    @DisplayName("a refresh does not overwrite credentials loaded after a logout and a new sign-in")
    void invalidateUser_thenNewLoad_refreshDoesNotOverwrite() {
        cache.get(alice, sts(Duration.ofHours(1)));
        clock.advance(AT_EVERY_REFRESH_POINT);
        cache.get(alice, sts(Duration.ofHours(1)));
        cache.invalidateUser("https://idp/", "alice");
        IssuedCredentials afterLogout = cache.get(alice, sts(Duration.ofHours(1)));

        pendingRefreshes.remove(0).run();

        assertThat(cache.get(alice, sts(Duration.ofHours(1)))).isSameAs(afterLogout);
    }

    Supplier<IssuedCredentials> blockedSts(CountDownLatch entered, CountDownLatch release) {
        return () -> {
            entered.countDown();
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return sts(Duration.ofHours(1)).get();
        };
    }

    @Test
    @DisplayName("the cache is bounded")
    void maximumSize() {
        CredentialCache small = CredentialCache.builder().clock(clock).maximumSize(10).refreshExecutor(Runnable::run).build();
        for (int i = 0; i < 100; i++) {
            small.get(key("https://idp/", "user" + i, alice.roleArn(), null), sts(Duration.ofHours(1)));
        }
        assertThat(small.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void toString_neverShowsSecrets() {
        IssuedCredentials credentials = cache.get(alice, sts(Duration.ofHours(1)));

        assertThat(credentials.toString()).contains("ASIA1").doesNotContain("SECRET-1").doesNotContain("TOKEN-1");
    }
}

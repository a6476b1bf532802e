package io.github.awsdelegation.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.cache.CredentialStore.Lease;
import io.github.awsdelegation.plan.SessionKey;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class LocalCredentialStoreTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/buyer";
    static final String OTHER_ROLE = "arn:aws:iam::123456789012:role/seller";

    final FakeClock clock = FakeClock.at(Instant.parse("2026-12-06T21:00:00Z"));
    final LocalCredentialStore store = new LocalCredentialStore(clock, 100);
    final SessionKey alice = new SessionKey("https://idp/", "alice", ROLE, "");
    final SessionKey aliceSeller = new SessionKey("https://idp/", "alice", OTHER_ROLE, "");
    final SessionKey aliceOfOtherIdp = new SessionKey("https://other-idp/", "alice", ROLE, "");
    final SessionKey bob = new SessionKey("https://idp/", "bob", ROLE, "");

    @AfterEach
    void close() {
        store.close();
    }

    IssuedCredentials issued(Duration lifetime) {
        Instant expiration = clock.instant().plus(lifetime);
        return new IssuedCredentials(AwsSessionCredentials.builder().accessKeyId("ASIAEXAMPLE").secretAccessKey("secret")
                .sessionToken("token").expirationTime(expiration).build(), expiration, ROLE, null, null);
    }

    IssuedCredentials store(SessionKey key, Duration lifetime) {
        IssuedCredentials issued = issued(lifetime);
        try (Lease lease = store.lease(key)) {
            lease.put(issued);
        }
        return issued;
    }

    @Test
    @DisplayName("logout drops every role of the user of that issuer, and neither the same subject of another issuer nor another user")
    void evictUser_dropsOnlyThatUser() {
        store(alice, Duration.ofHours(1));
        store(aliceSeller, Duration.ofHours(1));
        IssuedCredentials otherIdp = store(aliceOfOtherIdp, Duration.ofHours(1));
        IssuedCredentials bobs = store(bob, Duration.ofHours(1));

        store.evictUser("https://idp/", "alice");

        assertThat(store.get(alice)).isNull();
        assertThat(store.get(aliceSeller)).isNull();
        assertThat(store.get(aliceOfOtherIdp)).isSameAs(otherIdp);
        assertThat(store.get(bob)).isSameAs(bobs);
        store.evictUser("https://other-idp/", "alice");
        assertThat(store.get(aliceOfOtherIdp)).isNull();
        assertThat(store.indexedSubjects()).isEqualTo(1);
    }

    @Test
    @DisplayName("credentials put through a lease taken before the logout are not kept; a lease taken after it keeps them")
    void evictUser_openLease_putNotKept() {
        store(aliceSeller, Duration.ofHours(1));
        try (Lease lease = store.lease(alice)) {
            store.evictUser("https://idp/", "alice");
            lease.put(issued(Duration.ofHours(1)));
        }

        assertThat(store.get(alice)).isNull();
        assertThat(store.get(aliceSeller)).isNull();
        store(alice, Duration.ofHours(1));
        assertThat(store.get(alice)).isNotNull();
    }

    @Test
    @DisplayName("a lease stays registered while the user's other credentials go, so a later logout still voids it")
    void evictUser_openLeaseWhileOtherCredentialsGo_putNotKept() {
        store(aliceSeller, Duration.ofMinutes(10));
        try (Lease lease = store.lease(alice)) {
            clock.advance(Duration.ofMinutes(11)); // the seller role's credentials expire meanwhile
            assertThat(store.get(aliceSeller)).isNull();
            assertThat(store.indexedSubjects()).isEqualTo(1);
            store.evictUser("https://idp/", "alice");
            lease.put(issued(Duration.ofHours(1)));
        }

        assertThat(store.get(alice)).isNull();
    }

    @Test
    @DisplayName("a user's index entry goes with their last credentials: expired, removed, or never stored")
    void index_followsCredentials() {
        store(alice, Duration.ofMinutes(10));
        store(aliceSeller, Duration.ofHours(1));
        store(bob, Duration.ofHours(2));
        try (Lease lease = store.lease(new SessionKey("https://idp/", "carol", ROLE, ""))) {
            assertThat(store.indexedSubjects()).isEqualTo(3);
            // STS failed: nothing put
        }
        assertThat(store.indexedSubjects()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(11));
        assertThat(store.get(alice)).isNull();
        assertThat(store.indexedSubjects()).isEqualTo(2); // alice still has the seller role
        clock.advance(Duration.ofHours(1));
        assertThat(store.indexedSubjects()).isEqualTo(1);

        store.remove(bob, store.get(bob));
        assertThat(store.indexedSubjects()).isZero();
    }

    @Test
    @DisplayName("beyond the maximum size, the index holds the users whose credentials are kept and no more")
    void index_boundedWithCredentials() {
        LocalCredentialStore small = new LocalCredentialStore(clock, 10);
        for (int u = 0; u < 100; u++) {
            try (Lease lease = small.lease(new SessionKey("https://idp/", "user-" + u, ROLE, ""))) {
                lease.put(issued(Duration.ofHours(1)));
            }
        }

        assertThat(small.size()).isEqualTo(10);
        assertThat(small.indexedSubjects()).isEqualTo(10);
        small.close();
    }

    @Test
    @DisplayName("a lease never closed does not pin its user in the index once the credentials go, and puts nothing afterwards")
    void index_abandonedLease() {
        store(alice, Duration.ofMinutes(30));
        Lease abandoned = store.lease(alice);

        clock.advance(Duration.ofMinutes(10));
        store.invalidate(alice); // gone while the lease may still be in flight: the user stays registered
        assertThat(store.indexedSubjects()).isEqualTo(1);
        store(aliceSeller, Duration.ofMinutes(16));
        clock.advance(LocalCredentialStore.ABANDONED_LEASE.plusMinutes(2)); // the seller role's go too, long after any lease
        assertThat(store.indexedSubjects()).isZero();

        abandoned.put(issued(Duration.ofHours(1)));
        assertThat(store.get(alice)).isNull();
    }

    @Test
    @DisplayName("clear drops everything and voids open leases; the store stays usable")
    void clear_voidsOpenLeases() {
        store(bob, Duration.ofHours(1));
        try (Lease lease = store.lease(alice)) {
            store.clear();
            lease.put(issued(Duration.ofHours(1)));
        }

        assertThat(store.get(alice)).isNull();
        assertThat(store.get(bob)).isNull();
        assertThat(store.indexedSubjects()).isZero();
        store(alice, Duration.ofHours(1));
        assertThat(store.get(alice)).isNotNull();
    }
}

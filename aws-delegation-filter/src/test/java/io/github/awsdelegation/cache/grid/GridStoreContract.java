package io.github.awsdelegation.cache.grid;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.cache.CredentialCache;
import io.github.awsdelegation.cache.CredentialStore;
import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.plan.SessionKey;
import io.github.awsdelegation.sts.IssuedCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The contract of a {@link GridCredentialStore} on a real engine: each engine's module runs it against its engine,
 * with two or three stores standing for the nodes of a cluster.
 */
public abstract class GridStoreContract {

    /** A key id and its 32 bytes in Base64. */
    protected static final String K1 = Base64.getEncoder().encodeToString(bytes(1));
    protected static final String K2 = Base64.getEncoder().encodeToString(bytes(2));
    protected static final CacheSettings.Encryption ONE_KEY = new CacheSettings.Encryption("k1", Map.of("k1", K1));

    private final List<CredentialStore> stores = new ArrayList<>();
    protected final AtomicInteger stsCalls = new AtomicInteger();
    protected final SessionKey alice = new SessionKey("https://idp.example/", "alice-" + UUID.randomUUID(),
            "arn:aws:iam::123456789012:role/buyer", "");

    private static byte[] bytes(int seed) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i);
        }
        return key;
    }

    /** Returns a new client of (or member of) the engine, standing for one node. */
    protected abstract Grid grid();

    /** Returns every key and value the engine holds, as bytes, for the test to scan. */
    protected abstract List<byte[]> rawContent();

    /** Makes the engine unreachable for every node (stops the server, or every member the nodes are clients of). */
    protected abstract void stopEngine();

    /** Makes the engine reachable again. */
    protected abstract void startEngine();

    /** Returns a node's store over a new grid. */
    protected GridCredentialStore node(CacheSettings.Encryption encryption, Duration leaseTime) {
        GridCredentialStore store = GridCredentialStore.builder(grid()).encryption(encryption).leaseTime(leaseTime)
                .healthInterval(Duration.ofMillis(200)).build();
        stores.add(store);
        return store;
    }

    protected GridCredentialStore node() {
        return node(ONE_KEY, Duration.ofSeconds(5));
    }

    @AfterEach
    void closeNodes() {
        stores.forEach(CredentialStore::close);
    }

    /** Credentials as STS would issue them, each with its own secrets. */
    protected IssuedCredentials sts(Duration lifetime) {
        int n = stsCalls.incrementAndGet();
        Instant expiration = Instant.now().plus(lifetime);
        String id = UUID.randomUUID().toString().replace("-", "").toUpperCase();
        return new IssuedCredentials(AwsSessionCredentials.builder().accessKeyId("ASIA" + id.substring(0, 16))
                .secretAccessKey("SECRET-" + id + "-" + n).sessionToken("TOKEN-" + id + "-" + n).expirationTime(expiration)
                .build(), expiration, alice.roleArn(), "arn:aws:sts::123456789012:assumed-role/buyer/" + alice.subject(),
                "AROAEXAMPLE:" + alice.subject());
    }

    protected static void put(CredentialStore store, SessionKey key, IssuedCredentials credentials) {
        try (CredentialStore.Lease lease = store.lease(key)) {
            lease.put(credentials);
        }
    }

    protected static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what + " within " + within).isNegative();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    protected static String accessKeyId(IssuedCredentials credentials) {
        return credentials == null ? null : credentials.credentials().accessKeyId();
    }

    @Test
    @DisplayName("credentials put on one node are read on another, with their expiry and role")
    void put_readByAnotherNode() {
        GridCredentialStore one = node();
        GridCredentialStore two = node();
        IssuedCredentials issued = sts(Duration.ofHours(1));

        put(one, alice, issued);

        IssuedCredentials read = two.get(alice);
        assertThat(read.credentials().accessKeyId()).isEqualTo(issued.credentials().accessKeyId());
        assertThat(read.credentials().secretAccessKey()).isEqualTo(issued.credentials().secretAccessKey());
        assertThat(read.credentials().sessionToken()).isEqualTo(issued.credentials().sessionToken());
        assertThat(read.expiration()).isEqualTo(issued.expiration());
        assertThat(read.assumedRoleArn()).isEqualTo(issued.assumedRoleArn());
        // A read that overlaps a message (here, the put's own announcement) is not kept; the next one is.
        await("then served from the near-cache", Duration.ofSeconds(1), () -> two.get(alice) == two.get(alice));
    }

    @Test
    @DisplayName("an operator reading the grid sees no access key, secret, session token, subject or role")
    void encryptedAtRest() {
        GridCredentialStore one = node();
        IssuedCredentials issued = sts(Duration.ofHours(1));
        put(one, alice, issued);

        List<byte[]> raw = rawContent();

        assertThat(raw).isNotEmpty();
        for (String secret : List.of(issued.credentials().accessKeyId(), issued.credentials().secretAccessKey(),
                issued.credentials().sessionToken(), alice.subject(), alice.roleArn(), "buyer", "AROAEXAMPLE")) {
            byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
            assertThat(raw).as(secret).noneMatch(bytes -> contains(bytes, needle));
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    @DisplayName("a new key made active: entries written under the old one are still read, new ones use the new key")
    void keyRotation() {
        GridCredentialStore before = node(ONE_KEY, Duration.ofSeconds(5));
        IssuedCredentials old = sts(Duration.ofHours(1));
        put(before, alice, old);

        GridCredentialStore rotated = node(new CacheSettings.Encryption("k2", Map.of("k1", K1, "k2", K2)), Duration.ofSeconds(5));
        assertThat(accessKeyId(rotated.get(alice))).as("entry of the old key").isEqualTo(accessKeyId(old));

        SessionKey bob = new SessionKey(alice.issuer(), "bob-" + UUID.randomUUID(), alice.roleArn(), "");
        IssuedCredentials fresh = sts(Duration.ofHours(1));
        put(rotated, bob, fresh);
        GridCredentialStore onlyNewKey = node(new CacheSettings.Encryption("k2", Map.of("k2", K2)), Duration.ofSeconds(5));
        assertThat(accessKeyId(onlyNewKey.get(bob))).as("entry of the new key").isEqualTo(accessKeyId(fresh));
        assertThat(onlyNewKey.get(alice)).as("the old key removed: its entries are misses, not errors").isNull();
    }

    @Test
    @DisplayName("an entry expires in the grid with its credentials")
    void ttl() {
        GridCredentialStore one = node();
        put(one, alice, sts(Duration.ofMillis(1500)));
        GridCredentialStore two = node();
        assertThat(two.get(alice)).isNotNull();

        GridCredentialStore three = node();
        await("the entry expired in the grid", Duration.ofSeconds(5), () -> three.get(alice) == null);
    }

    @Test
    @DisplayName("concurrent first requests on two nodes: one STS call for the cluster")
    void lease_singleFlightAcrossNodes() throws Exception {
        List<CredentialCache> caches = List.of(cache(node()), cache(node()));
        Supplier<IssuedCredentials> slowSts = () -> {
            sleep(300);
            return sts(Duration.ofHours(1));
        };
        int threadsPerNode = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threadsPerNode * caches.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<IssuedCredentials>> results = new ArrayList<>();
            for (CredentialCache cache : caches) {
                for (int i = 0; i < threadsPerNode; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return cache.get(alice, slowSts);
                    }));
                }
            }
            start.countDown();
            String first = null;
            for (Future<IssuedCredentials> result : results) {
                String id = accessKeyId(result.get(20, TimeUnit.SECONDS));
                first = first == null ? id : first;
                assertThat(id).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(stsCalls).hasValue(1);
    }

    private CredentialCache cache(CredentialStore store) {
        return CredentialCache.builder().store(store).refreshExecutor(Runnable::run).build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @DisplayName("the leaseholder dies mid-call: another node takes over once the lease expired")
    void lease_holderDies_anotherTakesOver() {
        Duration leaseTime = Duration.ofSeconds(2);
        GridCredentialStore holder = node(ONE_KEY, leaseTime);
        GridCredentialStore other = node(ONE_KEY, leaseTime);
        holder.lease(alice); // and never puts nor releases: the node dies mid-call
        holder.close();

        long started = System.nanoTime();
        try (CredentialStore.Lease lease = other.lease(alice)) {
            // Engines keep expiry to their own precision (Hazelcast: to the second): the wait is about the lease time.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(900));
            lease.put(sts(Duration.ofHours(1)));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
        assertThat(node().get(alice)).isNotNull();
    }

    @Test
    @DisplayName("credentials due for refresh on two nodes: one node calls STS, both serve the current ones meanwhile")
    void refreshAhead_oneNodeRefreshes() throws Exception {
        List<Runnable> refreshes = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<CredentialCache> caches = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            caches.add(CredentialCache.builder().store(node()).refreshAhead(Duration.ofMinutes(59))
                    .refreshExecutor(refreshes::add).build());
        }
        Supplier<IssuedCredentials> slowSts = () -> {
            sleep(300);
            // Under every refresh point (the latest is 1 minute above the minimum validity of 1 minute), yet still served:
            // every hit asks for a refresh.
            return sts(Duration.ofSeconds(90));
        };
        IssuedCredentials current = caches.get(0).get(alice, slowSts);
        assertThat(accessKeyId(caches.get(0).get(alice, slowSts))).isEqualTo(accessKeyId(current));
        assertThat(accessKeyId(caches.get(1).get(alice, slowSts))).isEqualTo(accessKeyId(current));
        assertThat(refreshes).hasSize(2);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            refreshes.forEach(r -> runs.add(pool.submit(r)));
            for (Future<?> run : runs) {
                run.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(stsCalls).as("the load, and one refresh for both nodes").hasValue(2);
    }

    @Test
    @DisplayName("a refresh ahead of expiry is left to the node holding the lease")
    void tryLease_heldElsewhere_null() {
        GridCredentialStore one = node();
        GridCredentialStore two = node();
        try (CredentialStore.Lease lease = one.tryLease(alice)) {
            assertThat(lease).isNotNull();
            assertThat(two.tryLease(alice)).isNull();
        }
        try (CredentialStore.Lease lease = two.tryLease(alice)) {
            assertThat(lease).as("released").isNotNull();
        }
    }

    @Test
    @DisplayName("a logout on one node empties every node's near-cache within 1 second")
    void evictUser_reachesEveryNearCache() {
        GridCredentialStore one = node();
        GridCredentialStore two = node();
        GridCredentialStore three = node();
        put(one, alice, sts(Duration.ofHours(1)));
        assertThat(two.get(alice)).isNotNull();
        assertThat(three.get(alice)).isNotNull();

        one.evictUser(alice.issuer(), alice.subject());

        assertThat(one.get(alice)).isNull();
        await("node two forgot", Duration.ofSeconds(1), () -> two.get(alice) == null);
        await("node three forgot", Duration.ofSeconds(1), () -> three.get(alice) == null);
        assertThat(node().get(alice)).as("the grid").isNull();
    }

    @Test
    @DisplayName("a refresh on one node replaces the credentials in every node's near-cache within 1 second")
    void replace_reachesEveryNearCache() {
        GridCredentialStore one = node();
        GridCredentialStore two = node();
        IssuedCredentials current = sts(Duration.ofHours(1));
        put(one, alice, current);
        assertThat(accessKeyId(two.get(alice))).isEqualTo(accessKeyId(current));

        IssuedCredentials fresh = sts(Duration.ofHours(2));
        try (CredentialStore.Lease lease = one.tryLease(alice)) {
            lease.replace(one.get(alice), fresh);
        }

        await("node two has the fresh ones", Duration.ofSeconds(1), () -> accessKeyId(fresh).equals(accessKeyId(two.get(alice))));
    }

    @Test
    @DisplayName("a logout on one node while another calls STS: the answer is not kept anywhere")
    void evictUser_voidsOpenLeaseOnAnotherNode() {
        GridCredentialStore one = node();
        GridCredentialStore two = node();
        try (CredentialStore.Lease lease = two.lease(alice)) {
            one.evictUser(alice.issuer(), alice.subject());
            lease.put(sts(Duration.ofHours(1)));
        }
        assertThat(two.get(alice)).isNull();
        assertThat(one.get(alice)).isNull();
        assertThat(node().get(alice)).isNull();
    }

    @Test
    @DisplayName("the grid down: nodes cache locally (counted once), keep serving, and rejoin by themselves")
    protected void outage_fallsBackAndRejoins() {
        GridCredentialStore one = node();
        GridCredentialStore two = node();
        assertThat(one.reachable()).isTrue();
        put(one, alice, sts(Duration.ofHours(1)));

        stopEngine();
        SessionKey bob = new SessionKey(alice.issuer(), "bob-" + UUID.randomUUID(), alice.roleArn(), "");
        await("the outage noticed", Duration.ofSeconds(10), () -> !one.reachable() && !two.reachable());
        assertThat(one.fallbackActive()).isTrue();
        assertThat(accessKeyId(one.get(alice))).as("served from this node").isNotNull();
        IssuedCredentials local = sts(Duration.ofHours(1));
        put(two, bob, local);
        assertThat(two.get(bob)).isSameAs(local);
        two.evictUser(alice.issuer(), alice.subject()); // replayed on the grid once it is back
        assertThat(one.fallbacks()).isEqualTo(1);

        startEngine();
        await("rejoined", Duration.ofSeconds(20), () -> one.reachable() && two.reachable());
        assertThat(one.fallbackActive()).isFalse();
        assertThat(one.fallbacks()).isEqualTo(1);
        IssuedCredentials shared = sts(Duration.ofHours(1));
        put(one, bob, shared);
        await("shared through the grid again", Duration.ofSeconds(1), () -> accessKeyId(shared).equals(accessKeyId(two.get(bob))));
        assertThat(one.get(alice)).as("the logout taken during the outage").isNull();
    }
}

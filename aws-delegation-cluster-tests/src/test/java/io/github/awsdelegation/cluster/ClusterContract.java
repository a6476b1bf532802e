package io.github.awsdelegation.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.StsCall;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What a cluster of three nodes running the sample WAR owes its users and STS, whatever store it shares: one STS call
 * per user and credential lifetime across the cluster, a logout on one node seen by all within a second, and no error
 * when a node dies. Each engine's suite starts its three JVMs once for all of these (docs/cluster.md#the-cluster-suite);
 * each test uses users of its own, so that what one test caches does not count in another. The last test kills a node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ClusterContract {

    static final int NODES = 3;
    static final int USERS = 300;

    Cluster cluster;
    LoadClient client;

    /** The store the nodes share; closed with the cluster. */
    abstract Cluster.Store store();

    @BeforeAll
    void startCluster() {
        cluster = Cluster.start(store(), NODES);
        client = new LoadClient();
    }

    @AfterAll
    void stopCluster() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    LocalIdentityProvider idp() {
        return cluster.aws().identityProvider();
    }

    @Test
    @Order(1)
    @DisplayName("300 users' concurrent first requests, round-robin over 3 nodes with bearer tokens: one STS call per user, not 3")
    void firstRequests_everyUserOnEveryNode_oneStsCallPerUser() {
        List<LoadClient.User> users = LoadClient.users(idp(), "first", USERS);

        List<LoadClient.Outcome> outcomes = client.run(users, NODES * 2, cluster::urls, "api/me");

        assertThat(LoadClient.errors(outcomes)).as("errors; %s", cluster.logs()).isEmpty();
        assertThat(outcomes).hasSize(USERS * NODES * 2);
        Map<String, Long> calls = cluster.callsBySubject("amazon|first-");
        assertThat(calls).hasSize(USERS);
        assertThat(calls).as("STS calls per user across the cluster").allSatisfy((subject, count) -> assertThat(count).isOne());
    }

    @Test
    @Order(2)
    @DisplayName("browser sessions, sticky per user (each signs in on its node and stays): one STS call per user")
    void browserSessions_stickyPerUser_oneStsCallPerUser() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<List<Integer>>> sessions = new ArrayList<>();
            for (int i = 0; i < Cluster.BROWSER_USERS; i++) {
                URI node = cluster.urls().get(i % NODES);
                String id = "browser-" + i;
                sessions.add(pool.submit(() -> {
                    BrowserUser user = BrowserUser.signIn(node, id);
                    List<Integer> statuses = new ArrayList<>();
                    for (int request = 0; request < 3; request++) {
                        statuses.add(user.get("api/me").statusCode());
                    }
                    return statuses;
                }));
            }
            for (Future<List<Integer>> session : sessions) {
                assertThat(session.get()).containsOnly(200);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Long> calls = cluster.callsBySubject("amazon|browser-");
        assertThat(calls).hasSize(Cluster.BROWSER_USERS);
        assertThat(calls).allSatisfy((subject, count) -> assertThat(count).isOne());
    }

    @Test
    @Order(3)
    @DisplayName("with login.encryptionKey on every node, a login started on node 1 completes on node 2")
    void login_startedOnOneNode_completesOnAnother() {
        BrowserUser user = BrowserUser.signIn(cluster.node(1).url(), cluster.node(2).url(), "roaming");

        HttpResponse<String> me = user.get("api/me");

        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("amazon|roaming");
    }

    @Test
    @Order(4)
    @DisplayName("a logout on node 1: within 1 s, node 3 serves none of the user's cached credentials")
    void logout_onNode1_node3ServesNoCachedCredentialsWithin1s() {
        String subject = LocalIdentityProvider.socialUserSubject("leaving");
        BrowserUser browser = BrowserUser.signIn(cluster.node(1).url(), "leaving");
        assertThat(browser.get("api/me").statusCode()).isEqualTo(200);
        // The same user from another device, on node 3, with a bearer token: the credentials node 1 obtained.
        LoadClient.User device = new LoadClient.User(subject, idp().newIdTokenForSocialUser("leaving").expiresIn(Duration.ofHours(1)).sign());
        assertThat(client.send(device, cluster.node(3).url(), "api/me").join().status()).isEqualTo(200);
        assertThat(cluster.callsOf(subject)).as("node 3 served what node 1 cached").hasSize(1);

        HttpResponse<String> signedOut = browser.signOut();
        Instant loggedOut = Instant.now();
        assertThat(signedOut.statusCode()).isEqualTo(200);

        // Every request node 3 answers from now on may use no credentials of before the logout: the first one calls STS.
        Duration seen = null;
        while (seen == null && Duration.between(loggedOut, Instant.now()).compareTo(Duration.ofSeconds(1)) <= 0) {
            assertThat(client.send(device, cluster.node(3).url(), "api/me").join().status()).isEqualTo(200);
            if (cluster.callsOf(subject).size() == 2) {
                seen = Duration.between(loggedOut, Instant.now());
            } else {
                NodeProcess.sleep(Duration.ofMillis(50));
            }
        }
        assertThat(seen).as("node 3 got new credentials from STS within 1 s of the logout on node 1").isNotNull();
        System.out.printf("[%s] logout on node 1 seen on node 3 after %d ms%n", cluster.nodes().get(0).name(), seen.toMillis());
    }

    @Test
    @Order(6)
    @DisplayName("a logout token posted to node 1 ends the session held on node 2 and evicts the credentials on node 3;"
            + " replayed at node 3 it is refused")
    void backchannelLogout_onNode1_endsSessionOnNode2_evictsOnNode3_replayRefusedOnNode3() {
        String subject = LocalIdentityProvider.socialUserSubject("cut-off");
        BrowserUser browser = BrowserUser.signIn(cluster.node(2).url(), "cut-off");
        assertThat(browser.get("api/me").statusCode()).isEqualTo(200);
        LoadClient.User device = new LoadClient.User(subject, idp().newIdTokenForSocialUser("cut-off").expiresIn(Duration.ofHours(1)).sign());
        assertThat(client.send(device, cluster.node(3).url(), "api/me").join().status()).isEqualTo(200);
        assertThat(cluster.callsOf(subject)).as("node 3 served what node 2 cached").hasSize(1);
        String logoutToken = idp().newLogoutToken().subject(subject).sign();

        HttpResponse<String> logout = Http.postForm(cluster.node(1).url().resolve("backchannel-logout"), "logout_token", logoutToken);

        assertThat(logout.statusCode()).as(logout.body()).isEqualTo(200);
        // Node 2 holds the session: a request ends it, by the revocation node 1 recorded in the store (node 2's memory
        // of the user's record is dropped when node 1's message arrives, within milliseconds: polled up to 1 s).
        HttpResponse<String> afterOnNode2 = browser.get("api/me");
        for (Instant until = Instant.now().plusSeconds(1); afterOnNode2.statusCode() == 200 && Instant.now().isBefore(until); ) {
            NodeProcess.sleep(Duration.ofMillis(50));
            afterOnNode2 = browser.get("api/me");
        }
        assertThat(afterOnNode2.statusCode()).as(afterOnNode2.body()).isEqualTo(401);
        assertThat(afterOnNode2.body()).contains("the user's sessions were ended");
        // Node 3: the device's ID token, issued before the logout, is refused; a new one's first request calls STS,
        // so node 3 no longer holds the credentials it served before.
        LoadClient.Outcome oldToken = client.send(device, cluster.node(3).url(), "api/me").join();
        assertThat(oldToken.status()).as(oldToken.body()).isEqualTo(401);
        assertThat(oldToken.body()).contains("the user's sessions were ended");
        NodeProcess.sleep(Duration.ofMillis(1100)); // iat has whole seconds: a token of the logout's second counts as before it
        LoadClient.User signedInAgain = new LoadClient.User(subject,
                idp().newIdTokenForSocialUser("cut-off").expiresIn(Duration.ofHours(1)).sign());
        assertThat(client.send(signedInAgain, cluster.node(3).url(), "api/me").join().status()).isEqualTo(200);
        assertThat(cluster.callsOf(subject)).as("node 3 called STS anew: the credentials were evicted").hasSize(2);

        HttpResponse<String> replayed = Http.postForm(cluster.node(3).url().resolve("backchannel-logout"), "logout_token", logoutToken);

        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(replayed.body()).contains("invalid_request").contains("was used before (a replayed logout token)");
    }

    @Test
    @Order(5)
    @DisplayName("over simulated hours with rolling expiry: one STS call per user and credential lifetime across the cluster")
    void rollingExpiry_simulatedHours_oneStsCallPerUserAndLifetime() {
        // STS's clock 1 h - 85 s behind: its 1-hour sessions are 85 s from expiry when the nodes get them, and each is
        // refreshed at its own point between 70 s (cache.refreshAhead) and 65 s (half the gap to the minimum validity of
        // 60 s) before expiry: a credential lifetime of the cluster passes in 15 to 20 s.
        Duration lifetimeBeforeRefresh = Duration.ofSeconds(15);
        Duration run = Duration.ofSeconds(50);
        cluster.stsClock().setBehind(Duration.ofHours(1).minus(Cluster.REFRESH_AHEAD).minus(lifetimeBeforeRefresh));
        List<LoadClient.User> users = LoadClient.users(idp(), "rolling", USERS);
        try {
            List<LoadClient.Outcome> outcomes = client.runFor(users, run, cluster::urls, "api/me");

            assertThat(LoadClient.errors(outcomes)).as("errors; %s", cluster.logs()).isEmpty();
        } finally {
            cluster.stsClock().setBehind(Duration.ZERO);
        }
        Map<String, Long> calls = cluster.callsBySubject("amazon|rolling-");
        assertThat(calls).hasSize(USERS);
        long total = calls.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("rolling expiry: %d STS calls for %d users (%.2f lifetimes each)%n", total, USERS, (double) total / USERS);
        assertThat(calls).as("at least three lifetimes each").allSatisfy((subject, count) -> assertThat(count).isGreaterThanOrEqualTo(3));
        // One call per lifetime: a user's next call only once the previous credentials reached their refresh window.
        // Two nodes never both refresh the same credentials: the one that takes the refresh lease reads the grid, not its
        // near-cache, before deciding (a refresh another node made just before is seen there).
        Duration slack = Duration.ofSeconds(3);
        List<String> doubled = new ArrayList<>();
        for (String subject : calls.keySet()) {
            List<StsCall> ofUser = cluster.callsOf(subject);
            for (int k = 1; k < ofUser.size(); k++) {
                Duration apart = Duration.between(ofUser.get(k - 1).time(), ofUser.get(k).time());
                if (apart.compareTo(lifetimeBeforeRefresh.minus(slack)) < 0) {
                    doubled.add(subject + ": calls " + k + " and " + (k + 1) + " " + apart.toMillis() + " ms apart");
                }
            }
        }
        System.out.printf("rolling expiry: %d users with two calls in one lifetime %s%n", doubled.size(), doubled);
        assertThat(doubled).as("STS calls within one credential lifetime").isEmpty();
        // And no more lifetimes than 50 s hold (one at the start, then one each 15 s).
        long most = 1 + run.toSeconds() / lifetimeBeforeRefresh.toSeconds();
        assertThat(calls).as("users × lifetimes").allSatisfy((subject, count) -> assertThat(count).isLessThanOrEqualTo(most));
    }

    @Test
    @Order(100)
    @DisplayName("node 2 killed mid-run: 0 errors on nodes 1 and 3, and no new STS call")
    void nodeKilledMidRun_noErrorsOnTheOthers() {
        List<LoadClient.User> users = LoadClient.users(idp(), "survivor", USERS);
        assertThat(LoadClient.errors(client.run(users, NODES, cluster::urls, "api/me"))).isEmpty();
        assertThat(cluster.callsBySubject("amazon|survivor-")).hasSize(USERS);
        List<URI> survivors = List.of(cluster.node(1).url(), cluster.node(3).url());

        CompletableFuture<List<LoadClient.Outcome>> load = CompletableFuture.supplyAsync(
                () -> client.runFor(users, Duration.ofSeconds(10), () -> survivors, "api/me"));
        NodeProcess.sleep(Duration.ofSeconds(3));
        cluster.node(2).kill();
        List<LoadClient.Outcome> outcomes = load.join();

        assertThat(cluster.node(2).isAlive()).isFalse();
        assertThat(LoadClient.errors(outcomes)).as("errors; %s", cluster.logs()).isEmpty();
        assertThat(cluster.callsBySubject("amazon|survivor-").values()).as("no user's credentials were lost with node 2")
                .containsOnly(1L);
    }
}

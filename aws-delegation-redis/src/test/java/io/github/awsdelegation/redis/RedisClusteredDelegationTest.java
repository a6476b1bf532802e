package io.github.awsdelegation.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.cache.StoreUnavailableException;
import io.github.awsdelegation.cache.grid.GridCredentialStore;
import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.OidcSettings;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.LogoutToken;
import io.github.awsdelegation.token.TokenRejectedException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * Two nodes' pipelines ({@link DelegationService}s configured with {@code cache.store: redis}) against the testkit's
 * STS and a real Redis: the store found through its provider, one STS call for both nodes, a logout on one seen by the
 * other, and a back-channel logout's revocation and jti shared (or refused with 503 while Redis is down).
 */
class RedisClusteredDelegationTest {

    static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    RedisServer redis;
    LocalAws aws;
    final List<DelegationService> nodes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redis = new RedisServer();
        aws = LocalAws.builder().start();
        for (int i = 0; i < 2; i++) {
            nodes.add(DelegationService.create(DelegationConfig.builder()
                    .oidc(OidcSettings.of(aws.identityProvider().issuer(), Demo.CLIENT_ID))
                    .sts(StsSettings.builder().region(Region.US_EAST_1).endpointOverride(aws.sts().endpoint()).maxAttempts(1).build())
                    .cache(new CacheSettings(CacheSettings.DEFAULT_REFRESH_AHEAD, 1000, null, "redis",
                            new CacheSettings.Encryption(null, Map.of("k1", KEY)), null,
                            new CacheSettings.Redis(URI.create(redis.uri()), null, null)))
                    .rules(List.of(DeclarativeRule.builder("social-buyers").connectionTypes(ConnectionType.SOCIAL)
                            .grant(RoleGrant.of(Demo.BUYER_ROLE_ARN)).build()))
                    .build()));
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(DelegationService::close);
        aws.close();
        redis.close();
    }

    @Test
    @DisplayName("concurrent first requests of one user on two nodes: one STS call; a logout on one node reaches the other")
    void twoNodes_oneStsCall_logoutEverywhere() throws Exception {
        assertThat(nodes.get(0).broker().store()).isInstanceOf(GridCredentialStore.class);
        String token = aws.identityProvider().newIdToken().subject("amazon|clustered").sign();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Delegation>> results = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < 16; i++) {
                DelegationService node = nodes.get(i % 2);
                results.add(pool.submit(() -> {
                    start.await();
                    return node.delegate(token, null, null);
                }));
            }
            start.countDown();
            for (Future<Delegation> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS).credentials()).isNotNull();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(aws.sts().calls()).hasSize(1);

        nodes.get(0).broker().evictUser(aws.identityProvider().issuer().toString(), "amazon|clustered");
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (nodes.get(1).broker().size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(nodes.get(1).broker().size()).as("node two's near-cache within 1 s").isZero();
        nodes.get(1).delegate(token, null, null);
        assertThat(aws.sts().calls()).as("node two calls STS again").hasSize(2);
    }

    @Test
    @DisplayName("a back-channel logout through one node holds on the other (revocation and jti); with Redis down it fails"
            + " with 503 and records nothing, so the provider's retry is accepted once Redis is back")
    void logout_sharedThroughRedis_failsClosedWhileDown() throws Exception {
        String token = aws.identityProvider().newIdToken().subject("amazon|cut-off").sign();
        assertThat(nodes.get(1).delegate(token, null, null).credentials()).isNotNull();
        LogoutToken logout = nodes.get(0).validator().validateLogoutToken(
                aws.identityProvider().newLogoutToken().subject("amazon|cut-off").sign());

        redis.stop();
        awaitReachable(false);
        assertThatThrownBy(() -> nodes.get(0).logout(logout)).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("cannot be reached")
                .satisfies(e -> assertThat(((StoreUnavailableException) e).retryAfter()).isPositive());
        redis.start();
        awaitReachable(true);

        nodes.get(0).logout(logout); // the provider's retry: its jti was not recorded during the outage
        assertThatThrownBy(() -> nodes.get(1).logout(logout)).as("replayed at the other node")
                .isInstanceOf(TokenRejectedException.class).hasMessageContaining("was used before (a replayed logout token)");
        assertThatThrownBy(() -> nodes.get(1).delegate(token, null, null)).as("the user's earlier ID token, at the other node")
                .isInstanceOf(TokenRejectedException.class).hasMessageContaining("the user's sessions were ended");
    }

    private void awaitReachable(boolean reachable) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (nodes.stream().anyMatch(node -> node.broker().store().reachable() != reachable) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(nodes).allSatisfy(node -> assertThat(node.broker().store().reachable()).isEqualTo(reachable));
    }
}

package io.github.awsdelegation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.DelegationService;
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
 * other.
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
}

package io.github.awsdelegation.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.OidcSettings;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.CredentialsUnavailableException;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.FakeClock;
import io.github.awsdelegation.testkit.Fault;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.TokenRejectedException;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** The meters docs/operations.md lists, on a {@link SimpleMeterRegistry}, against the testkit's OIDC provider and STS. */
class DelegationMetricsTest {

    private final FakeClock clock = FakeClock.at(Instant.parse("2026-11-22T10:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private LocalAws aws;
    private DelegationService service;

    @BeforeEach
    void start() {
        aws = LocalAws.builder().clock(clock).start();
        service = DelegationService.create(DelegationConfig.builder()
                .oidc(OidcSettings.of(aws.identityProvider().issuer(), Demo.CLIENT_ID))
                .sts(StsSettings.builder().region(Region.US_EAST_1).endpointOverride(aws.sts().endpoint()).maxAttempts(1).build())
                .rules(List.of(DeclarativeRule.builder("social-buyers").connectionTypes(ConnectionType.SOCIAL)
                        .grant(RoleGrant.of(Demo.BUYER_ROLE_ARN)).build()))
                .build(), clock);
        new DelegationMetrics(service, Tags.of("app", "pet-shop")).bindTo(registry);
    }

    @AfterEach
    void stop() {
        service.close();
        aws.close();
    }

    private String buyerToken() {
        return aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID);
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    @DisplayName("a first request: one decision, one STS call timed, a miss, a valid token, one discovery and one JWKS fetch")
    void firstRequest() {
        service.delegate(buyerToken(), null, null);

        assertThat(count("aws.delegation.decisions", "outcome", "granted", "rule", "social-buyers", "entry.point", "application",
                "app", "pet-shop")).isEqualTo(1);
        var sts = registry.get("aws.delegation.sts.calls")
                .tags("operation", "AssumeRoleWithWebIdentity", "outcome", "success", "error", "none").timer();
        assertThat(sts.count()).isEqualTo(1);
        assertThat(sts.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
        assertThat(count("aws.delegation.cache.requests", "result", "miss")).isEqualTo(1);
        assertThat(count("aws.delegation.token.validations", "outcome", "valid")).isEqualTo(1);
        assertThat(count("aws.delegation.discovery.fetches", "outcome", "success")).isEqualTo(1);
        assertThat(count("aws.delegation.jwks.fetches", "outcome", "success")).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("aws.delegation.cache.size").gauge().value()).isEqualTo(1);
        assertThat(registry.get("aws.delegation.store.fallback.active").gauge().value()).isZero(); // a store in this JVM
        assertThat(registry.get("aws.delegation.store.fallbacks").functionCounter().count()).isZero();
        var validity = registry.get("aws.delegation.credentials.validity").tags("rule", "social-buyers").summary();
        assertThat(validity.count()).isEqualTo(1);
        assertThat(validity.max()).isEqualTo(Duration.ofHours(1).toSeconds());
    }

    @Test
    @DisplayName("a cached request is a hit and a decision, with no STS call")
    void cachedRequest() {
        service.delegate(buyerToken(), null, null);
        service.delegate(buyerToken(), null, null);

        assertThat(count("aws.delegation.cache.requests", "result", "hit")).isEqualTo(1);
        assertThat(count("aws.delegation.decisions", "outcome", "granted", "rule", "social-buyers")).isEqualTo(2);
        assertThat(registry.get("aws.delegation.sts.calls").timer().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("a refresh ahead of expiry is counted, and so is its STS call")
    void refresh() throws InterruptedException {
        service.delegate(buyerToken(), null, null);
        clock.advance(Duration.ofMinutes(58)); // 2 minutes left: the latest refresh point, where every set is due
        service.delegate(buyerToken(), null, null);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (registry.find("aws.delegation.cache.refreshes").counter() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(count("aws.delegation.cache.refreshes", "outcome", "success")).isEqualTo(1);
        assertThat(registry.get("aws.delegation.sts.calls").tags("outcome", "success").timer().count()).isEqualTo(2);
    }

    @Test
    @DisplayName("a refused role is a denied decision; a rejected token a rejected validation")
    void refusals() {
        assertThatThrownBy(() -> service.delegate(buyerToken(), null, "pet-shop-admin")).isInstanceOf(RoleDeniedException.class);
        String expired = aws.identityProvider().newIdTokenForSocialUser(Demo.BUYER_AMAZON_ID)
                .expiresAt(clock.instant().minus(Duration.ofHours(1))).issuedAt(clock.instant().minus(Duration.ofHours(2)))
                .sign();
        assertThatThrownBy(() -> service.delegate(expired, null, null)).isInstanceOf(TokenRejectedException.class);

        assertThat(count("aws.delegation.decisions", "outcome", "denied", "rule", "social-buyers")).isEqualTo(1);
        assertThat(count("aws.delegation.token.validations", "outcome", "rejected")).isEqualTo(1);
    }

    @Test
    @DisplayName("STS being unavailable is a failed call with STS's error code")
    void stsUnavailable() {
        aws.sts().setFault(Fault.UNAVAILABLE);

        assertThatThrownBy(() -> service.delegate(buyerToken(), null, null)).isInstanceOf(CredentialsUnavailableException.class);

        assertThat(registry.get("aws.delegation.sts.calls")
                .tags("operation", "AssumeRoleWithWebIdentity", "outcome", "failure", "error", "ServiceUnavailable")
                .timer().count()).isEqualTo(1);
    }

    @Test
    @DisplayName("an eviction is counted by its cause, and the cache's size follows")
    void eviction() {
        service.delegate(buyerToken(), null, null);

        service.broker().evictUser(aws.identityProvider().issuer().toString(), "amazon|" + Demo.BUYER_AMAZON_ID);

        assertThat(count("aws.delegation.cache.evictions", "cause", "admin")).isEqualTo(1);
        assertThat(registry.get("aws.delegation.cache.size").gauge().value()).isZero();
    }

    @Test
    @DisplayName("bind accepts a MeterRegistry given as an Object and names what else it got")
    void bind_object() {
        assertThatThrownBy(() -> DelegationMetrics.bind(service, "not a registry"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a io.micrometer.core.instrument.MeterRegistry: java.lang.String");
    }
}

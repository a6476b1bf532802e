package io.github.awsdelegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.config.OidcSettings;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.servlet.internal.Problem;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.CredentialSource;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.sts.StsBudget;
import io.github.awsdelegation.sts.StsBudgetExceededException;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.testkit.FakeClock;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.IdTokenValidator;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * STS budgets ({@code sts.budget}): a user who loops over roles is cut off at the per-user limit while others are
 * served; the account and Region's token bucket refuses cold requests while cached users are served; both refill
 * over time (a fake clock). Over budget, no STS call is made.
 */
class DelegationServiceBudgetTest {

    static final String ACCOUNT = "123456789012";

    final FakeClock clock = FakeClock.at(Instant.parse("2026-12-06T10:00:00Z"));
    final List<CredentialRequest> calls = new CopyOnWriteArrayList<>();
    final List<DelegationEvent> throttled = new CopyOnWriteArrayList<>();
    DelegationService service;

    DelegationService service(StsBudget budget) {
        DeclarativeRule.Builder rule = DeclarativeRule.builder("social").connectionTypes(ConnectionType.SOCIAL);
        IntStream.rangeClosed(1, 6).forEach(i -> rule.grant(RoleGrant.of("arn:aws:iam::" + ACCOUNT + ":role/r" + i)));
        DelegationConfig config = DelegationConfig.builder()
                .oidc(OidcSettings.of(URI.create(Identities.ISSUER), "shop"))
                .sts(StsSettings.builder().region(Region.US_EAST_1).budget(budget).build())
                .rules(List.of(rule.build()))
                .build();
        service = DelegationService.create(config, IdTokenValidator.builder().issuer(URI.create(Identities.ISSUER))
                .clientId("shop").build(), new CredentialSource() {
                    @Override
                    public IssuedCredentials issue(CredentialRequest request) {
                        calls.add(request);
                        return new IssuedCredentials(AwsSessionCredentials.create("ASIA" + calls.size(), "secret", "token"),
                                clock.instant().plus(Duration.ofHours(1)), request.role().roleArn(), null, null);
                    }

                    @Override
                    public void close() {
                    }
                }, clock);
        service.addListener(new DelegationListener() {
            @Override
            public void throttled(DelegationEvent event) {
                throttled.add(event);
            }
        });
        return service;
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    Delegation delegate(String subject, String role) {
        return service.delegate(Identities.social(subject), () -> "token", role, EntryPoint.APPLICATION);
    }

    @Test
    @DisplayName("a user looping over roles is cut off at sts.budget.perUser (429, Retry-After), while another user and its own cached roles are served")
    void perUser_loopingUserCutOff_othersServed() {
        service(new StsBudget(3, Duration.ofMinutes(1), 0, 0));

        delegate("amazon|looper", "r1");
        clock.advance(Duration.ofSeconds(10));
        delegate("amazon|looper", "r2");
        delegate("amazon|looper", "r3");
        assertThatThrownBy(() -> delegate("amazon|looper", "r4"))
                .isInstanceOfSatisfying(StsBudgetExceededException.class, e -> {
                    assertThat(e.budget()).isEqualTo(StsBudgetExceededException.Budget.USER);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(50));
                    assertThat(e).hasMessageContaining("sts.budget.perUser: 3").hasMessageContaining("try again in 50 s");
                    Problem answer = Problem.of(e);
                    assertThat(answer.status()).isEqualTo(429);
                    assertThat(answer.error()).isEqualTo("too_many_requests");
                    assertThat(answer.retryAfterSeconds()).isEqualTo("50");
                });
        assertThat(calls).as("no STS call over budget").hasSize(3);
        assertThat(throttled).as("the audit record and metric's event").singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(DelegationEvent.Type.THROTTLED);
            assertThat(event.limit()).isEqualTo("user");
            assertThat(event.subject()).isEqualTo("amazon|looper");
            assertThat(event.retryAfter()).isEqualTo(Duration.ofSeconds(50));
        });

        assertThat(delegate("amazon|looper", "r1").credentials().roleArn()).as("cached: served").endsWith("role/r1");
        assertThat(delegate("amazon|other", "r4").credentials().roleArn()).as("another user").endsWith("role/r4");

        clock.advance(Duration.ofSeconds(50)); // the first call leaves the rolling window
        assertThat(delegate("amazon|looper", "r4").credentials().roleArn()).endsWith("role/r4");
        assertThatThrownBy(() -> delegate("amazon|looper", "r5")).isInstanceOf(StsBudgetExceededException.class);
    }

    @Test
    @DisplayName("the account and Region's bucket refuses cold requests (503, Retry-After) while cached users are served, and refills")
    void account_bucketRefusesColdServesCached_refills() {
        service(new StsBudget(0, Duration.ofMinutes(1), 1, 2));

        delegate("amazon|a", "r1");
        delegate("amazon|b", "r1");
        assertThatThrownBy(() -> delegate("amazon|c", "r1"))
                .isInstanceOfSatisfying(StsBudgetExceededException.class, e -> {
                    assertThat(e.budget()).isEqualTo(StsBudgetExceededException.Budget.ACCOUNT);
                    assertThat(e).hasMessageContaining("account " + ACCOUNT + " in us-east-1")
                            .hasMessageContaining("sts.budget.accountRate: 1");
                    Problem answer = Problem.of(e);
                    assertThat(answer.status()).isEqualTo(503);
                    assertThat(answer.retryAfterSeconds()).isEqualTo("1");
                });
        assertThat(delegate("amazon|a", "r1").credentials().credentials().accessKeyId()).as("cached: served").isEqualTo("ASIA1");
        assertThat(throttled).singleElement().satisfies(event -> assertThat(event.limit())
                .isEqualTo("account-region:" + ACCOUNT + "/us-east-1"));
        assertThat(calls).hasSize(2);

        clock.advance(Duration.ofMillis(500));
        assertThatThrownBy(() -> delegate("amazon|c", "r1")).isInstanceOf(StsBudgetExceededException.class);
        clock.advance(Duration.ofMillis(500)); // one token refilled
        assertThat(delegate("amazon|c", "r1").credentials().credentials().accessKeyId()).isEqualTo("ASIA3");
        clock.advance(Duration.ofMinutes(1)); // full again, not more than the burst
        delegate("amazon|d", "r1");
        delegate("amazon|e", "r1");
        assertThatThrownBy(() -> delegate("amazon|f", "r1")).isInstanceOf(StsBudgetExceededException.class);
    }

    @Test
    @DisplayName("sts.budget is read from YAML with defaults for keys left out, and a wrong value names its key")
    void budget_fromYaml() {
        DelegationConfigLoader loader = DelegationConfigLoader.withVariables(Map.of());
        String yaml = """
                oidc:
                  issuer: https://tenant.example.com/
                  clientId: shop
                sts:
                  region: us-east-1
                  budget:
                    perUser: 10
                    accountRate: 50
                rules:
                  - id: all
                    connectionType: social
                    roles:
                      - arn: arn:aws:iam::123456789012:role/r1
                """;
        assertThat(loader.parse(yaml).sts().budget()).isEqualTo(new StsBudget(10, Duration.ofMinutes(1), 50, 100));
        assertThat(loader.parse(yaml.replace("    perUser: 10\n    accountRate: 50\n", "    perUser: 5\n"))
                .sts().budget()).isEqualTo(new StsBudget(5, Duration.ofMinutes(1), 100, 200));
        assertThat(StsSettings.builder().region(Region.US_EAST_1).build().budget()).isEqualTo(StsBudget.DEFAULT);
        assertThatThrownBy(() -> loader.parse(yaml.replace("accountRate: 50", "accountRate: 900")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sts.budget.accountRate").hasMessageContaining("600");
    }
}

package io.github.awsdelegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.OidcSettings;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.sts.CredentialsUnavailableException;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.FakeClock;
import io.github.awsdelegation.testkit.Fault;
import io.github.awsdelegation.testkit.IssuedSession;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.StsCall;
import io.github.awsdelegation.token.ConnectionType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The listener hook the CDI module's events are built on, against the testkit's real OIDC provider and STS:
 * what each outcome reports, exactly once per STS call, and that nothing secret is in it.
 */
class DelegationServiceEventsTest {

    private final FakeClock clock = FakeClock.at(Instant.parse("2026-11-22T10:00:00Z"));
    private final BlockingQueue<DelegationEvent> events = new LinkedBlockingQueue<>();
    private LocalAws aws;
    private DelegationService service;

    @BeforeEach
    void start() {
        aws = LocalAws.builder().clock(clock).start();
        DelegationConfig config = DelegationConfig.builder()
                .oidc(OidcSettings.of(aws.identityProvider().issuer(), Demo.CLIENT_ID))
                .sts(StsSettings.builder().region(Region.US_EAST_1).endpointOverride(aws.sts().endpoint()).maxAttempts(1).build())
                .rules(List.of(
                        DeclarativeRule.builder("social-buyers").connectionTypes(ConnectionType.SOCIAL)
                                .grant(RoleGrant.of(Demo.BUYER_ROLE_ARN)).build(),
                        DeclarativeRule.builder("database-admins").connectionTypes(ConnectionType.DATABASE)
                                .groups(Demo.ADMIN_GROUP).grant(RoleGrant.of(Demo.ADMIN_ROLE_ARN)).build()))
                .build();
        service = DelegationService.create(config, clock);
        service.addListener(new DelegationListener() {
            @Override
            public void issued(DelegationEvent event) {
                events.add(event);
            }

            @Override
            public void refreshed(DelegationEvent event) {
                events.add(event);
            }

            @Override
            public void denied(DelegationEvent event) {
                events.add(event);
            }

            @Override
            public void failed(DelegationEvent event) {
                events.add(event);
            }
        });
    }

    @AfterEach
    void stop() {
        service.close();
        aws.close();
    }

    private String buyerToken() {
        return aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID);
    }

    @Test
    @DisplayName("issued credentials are reported once, with the user, rule, role and assumed-role id, and no secret")
    void issued() {
        Delegation delegation = service.delegate(buyerToken(), null, null);
        service.delegate(buyerToken(), null, null); // from the cache: STS is not called, nothing to report

        assertThat(events).hasSize(1);
        DelegationEvent event = events.peek();
        IssuedSession session = aws.sts().session(delegation.credentials().credentials().accessKeyId()).orElseThrow();
        assertThat(event.type()).isEqualTo(DelegationEvent.Type.ISSUED);
        assertThat(event.issuer()).isEqualTo(aws.identityProvider().issuer().toString());
        assertThat(event.subject()).isEqualTo("amazon|" + Demo.BUYER_AMAZON_ID);
        assertThat(event.ruleId()).isEqualTo("social-buyers");
        assertThat(event.roleArn()).isEqualTo(Demo.BUYER_ROLE_ARN);
        assertThat(event.assumedRoleId()).isEqualTo(session.assumedRoleId());
        assertThat(event.expiration()).isEqualTo(session.expiration());
        assertThat(event.reason()).isEqualTo("connection type is social");
        assertThat(event.toString()).doesNotContain(session.secretAccessKey()).doesNotContain(session.sessionToken());
    }

    @Test
    @DisplayName("an issued event names what CloudTrail records of the call: STS request id, role session name, "
            + "source identity, region; and the request, the time, the OIDC session and the connection")
    void issued_cloudTrailFields() {
        String token = aws.identityProvider().newIdTokenForSocialUser(Demo.BUYER_AMAZON_ID).claim("sid", "sid-42").sign();

        Delegation delegation = service.delegate(token, null, null);

        StsCall call = aws.sts().calls().get(aws.sts().calls().size() - 1);
        DelegationEvent issued = events.stream().filter(e -> e.type() == DelegationEvent.Type.ISSUED).findFirst().orElseThrow();
        assertThat(call.requestId()).isNotBlank();
        assertThat(issued.stsRequestId()).isEqualTo(call.requestId());
        assertThat(delegation.credentials().stsRequestId()).isEqualTo(call.requestId());
        assertThat(issued.roleSessionName()).isEqualTo(call.roleSessionName());
        assertThat(issued.region()).isEqualTo("us-east-1");
        assertThat(issued.assumedRoleArn()).isEqualTo(delegation.credentials().assumedRoleArn());
        assertThat(issued.time()).isEqualTo(clock.instant());
        assertThat(issued.requestId()).isNotBlank();
        assertThat(issued.sessionId()).isEqualTo("sid-42");
        assertThat(issued.connection()).isEqualTo("amazon");
        assertThat(issued.outcome()).isEqualTo(DelegationEvent.Outcome.SUCCESS);
        assertThat(issued.entryPoint()).isEqualTo(EntryPoint.APPLICATION);
    }

    @Test
    @DisplayName("no field of any event holds the ID token, the secret access key or the session token")
    void noSecretInAnyField() throws Exception {
        List<DelegationEvent> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        service.addListener(new DelegationListener() {
            @Override
            public void onEvent(DelegationEvent event) {
                all.add(event);
            }
        });
        String token = buyerToken();
        Delegation delegation = service.delegate(token, null, null);
        IssuedSession session = aws.sts().session(delegation.credentials().credentials().accessKeyId()).orElseThrow();
        assertThatThrownBy(() -> service.delegate(token, null, "pet-shop-admin")).isInstanceOf(RoleDeniedException.class);
        service.broker().evictUser(aws.identityProvider().issuer().toString(), "amazon|" + Demo.BUYER_AMAZON_ID);
        all.addAll(events);

        assertThat(all).extracting(DelegationEvent::type).contains(DelegationEvent.Type.DECIDED, DelegationEvent.Type.ISSUED,
                DelegationEvent.Type.DENIED, DelegationEvent.Type.EVICTED);
        for (DelegationEvent event : all) {
            for (java.lang.reflect.Method accessor : DelegationEvent.class.getDeclaredMethods()) {
                if (accessor.getParameterCount() == 0 && java.lang.reflect.Modifier.isPublic(accessor.getModifiers())
                        && !java.lang.reflect.Modifier.isStatic(accessor.getModifiers())) {
                    assertThat(String.valueOf(accessor.invoke(event))).as(accessor.getName())
                            .doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1))
                            .doesNotContain(session.secretAccessKey()).doesNotContain(session.sessionToken());
                }
            }
        }
    }

    @Test
    @DisplayName("every decision is reported, cached or not, in the same request as the issue it leads to")
    void decided() {
        List<DelegationEvent> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        service.addListener(new DelegationListener() {
            @Override
            public void onEvent(DelegationEvent event) {
                all.add(event);
            }
        });

        service.delegate(buyerToken(), null, null);
        service.delegate(buyerToken(), null, null); // from the cache: decided, not issued

        assertThat(all).extracting(DelegationEvent::type).containsExactly(DelegationEvent.Type.DECIDED,
                DelegationEvent.Type.ISSUED, DelegationEvent.Type.DECIDED);
        assertThat(all.get(0).ruleId()).isEqualTo("social-buyers");
        assertThat(all.get(0).roleArn()).isEqualTo(Demo.BUYER_ROLE_ARN);
        assertThat(all.get(0).reason()).isEqualTo("connection type is social");
        assertThat(all.get(0).requestId()).isEqualTo(all.get(1).requestId()).isNotEqualTo(all.get(2).requestId());
    }

    @Test
    @DisplayName("an eviction is reported with its cause and where it came from")
    void evicted() {
        List<DelegationEvent> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        service.addListener(new DelegationListener() {
            @Override
            public void evicted(DelegationEvent event) {
                all.add(event);
            }
        });
        service.delegate(buyerToken(), null, null);

        service.broker().evictUser(aws.identityProvider().issuer().toString(), "amazon|" + Demo.BUYER_AMAZON_ID, "sid-1",
                DelegationEvent.EvictionCause.BACK_CHANNEL_LOGOUT, EntryPoint.BACK_CHANNEL_LOGOUT);

        assertThat(all).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(DelegationEvent.Type.EVICTED);
            assertThat(event.subject()).isEqualTo("amazon|" + Demo.BUYER_AMAZON_ID);
            assertThat(event.sessionId()).isEqualTo("sid-1");
            assertThat(event.evictionCause()).isEqualTo(DelegationEvent.EvictionCause.BACK_CHANNEL_LOGOUT);
            assertThat(event.entryPoint()).isEqualTo(EntryPoint.BACK_CHANNEL_LOGOUT);
            assertThat(event.time()).isEqualTo(clock.instant());
        });
        assertThat(service.broker().size()).isZero();
    }

    @Test
    @DisplayName("a refresh ahead of expiry is reported as refreshed, with the new credentials' expiration")
    void refreshed() throws InterruptedException {
        Delegation first = service.delegate(buyerToken(), null, null);
        assertThat(events.take().type()).isEqualTo(DelegationEvent.Type.ISSUED);
        clock.advance(Duration.ofMinutes(58)); // 2 minutes left: the latest refresh point, where every set is due

        Delegation served = service.delegate(buyerToken(), null, null);
        DelegationEvent refreshed = events.poll(10, TimeUnit.SECONDS);

        assertThat(served.credentials()).isSameAs(first.credentials());
        assertThat(refreshed).isNotNull();
        assertThat(refreshed.type()).isEqualTo(DelegationEvent.Type.REFRESHED);
        assertThat(refreshed.ruleId()).isEqualTo("social-buyers");
        assertThat(refreshed.roleArn()).isEqualTo(Demo.BUYER_ROLE_ARN);
        assertThat(refreshed.expiration()).isAfter(first.credentials().expiration());
        assertThat(refreshed.assumedRoleId()).isNotBlank();
    }

    @Test
    @DisplayName("a requested role the rule does not permit is reported as denied, naming the rule and the request")
    void deniedRequestedRole() {
        assertThatThrownBy(() -> service.delegate(buyerToken(), null, "pet-shop-admin"))
                .isInstanceOf(RoleDeniedException.class);

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(DelegationEvent.Type.DENIED);
            assertThat(event.subject()).isEqualTo("amazon|" + Demo.BUYER_AMAZON_ID);
            assertThat(event.ruleId()).isEqualTo("social-buyers");
            assertThat(event.requestedRole()).isEqualTo("pet-shop-admin");
            assertThat(event.roleArn()).isNull();
            assertThat(event.reason()).contains("role 'pet-shop-admin' is not permitted for this user");
        });
    }

    @Test
    @DisplayName("a user no rule matches is reported as denied without a rule")
    void deniedNoRule() {
        String token = aws.identityProvider().newIdToken().subject("custom|someone").sign();

        assertThatThrownBy(() -> service.delegate(token, null, null)).isInstanceOf(RoleDeniedException.class);

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(DelegationEvent.Type.DENIED);
            assertThat(event.subject()).isEqualTo("custom|someone");
            assertThat(event.ruleId()).isNull();
            assertThat(event.reason()).startsWith("no role rule matches this user");
        });
    }

    @Test
    @DisplayName("STS being unavailable is reported as failed, with the rule and role the user was to get")
    void failed() {
        aws.sts().setFault(Fault.UNAVAILABLE);

        assertThatThrownBy(() -> service.delegate(buyerToken(), null, null))
                .isInstanceOf(CredentialsUnavailableException.class);

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(DelegationEvent.Type.FAILED);
            assertThat(event.ruleId()).isEqualTo("social-buyers");
            assertThat(event.roleArn()).isEqualTo(Demo.BUYER_ROLE_ARN);
            assertThat(event.assumedRoleId()).isNull();
            assertThat(event.reason()).isNotBlank();
            StsCall call = aws.sts().calls().get(aws.sts().calls().size() - 1);
            assertThat(event.errorCode()).isEqualTo("ServiceUnavailable");
            assertThat(event.stsRequestId()).isEqualTo(call.requestId()).isNotBlank();
            assertThat(event.retryAfter()).isNotNull();
            assertThat(event.roleSessionName()).isEqualTo(call.roleSessionName());
            assertThat(event.outcome()).isEqualTo(DelegationEvent.Outcome.FAILURE);
        });
    }

    @Test
    @DisplayName("a listener that throws changes nothing for the user or for the other listeners")
    void throwingListener() {
        service.addListener(new DelegationListener() {
            @Override
            public void issued(DelegationEvent event) {
                throw new IllegalStateException("audit store down");
            }
        });
        BlockingQueue<DelegationEvent> later = new LinkedBlockingQueue<>();
        service.addListener(new DelegationListener() {
            @Override
            public void issued(DelegationEvent event) {
                later.add(event);
            }
        });

        Delegation delegation = service.delegate(buyerToken(), null, null);

        assertThat(delegation.decision().ruleId()).isEqualTo("social-buyers");
        assertThat(later).hasSize(1);
    }

    @Test
    @DisplayName("rules contributed at run time take part in decisions, after the configured ones")
    void contributedRules() {
        RoleRule everyone = new RoleRule() {
            @Override
            public String id() {
                return "everyone-else";
            }

            @Override
            public Optional<RuleMatch> match(io.github.awsdelegation.token.VerifiedIdentity identity) {
                return Optional.of(new RuleMatch(List.of(RoleGrant.of(Demo.BUYER_ROLE_ARN)), "contributed at run time"));
            }
        };
        String stranger = aws.identityProvider().newIdToken().subject("custom|stranger").sign();

        service.decider().addRules(List.of(everyone));

        assertThat(service.delegate(stranger, null, null).decision().ruleId()).isEqualTo("everyone-else");
        assertThat(service.delegate(buyerToken(), null, null).decision().ruleId()).isEqualTo("social-buyers");
        assertThatThrownBy(() -> service.decider().addRules(List.of(everyone)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'everyone-else' of a rule that is already configured");
    }
}

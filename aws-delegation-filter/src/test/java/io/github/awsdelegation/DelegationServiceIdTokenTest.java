package io.github.awsdelegation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.OidcSettings;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.CredentialSource;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.testkit.FakeClock;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.IdTokenValidator;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * A user verified earlier (a sign-in session) asks for the ID token only when STS needs it: for a role assumed with
 * web identity, on a cache miss; never for SAML or AssumeRole roles, and never for cached credentials.
 */
class DelegationServiceIdTokenTest {

    static final String WEB_ROLE = "arn:aws:iam::123456789012:role/web";
    static final String SAML_ROLE = "arn:aws:iam::123456789012:role/console";
    static final String CHAINED_ROLE = "arn:aws:iam::123456789012:role/chained";

    final FakeClock clock = FakeClock.at(Instant.parse("2026-12-06T10:00:00Z"));
    final List<CredentialRequest> issued = new CopyOnWriteArrayList<>();
    final DelegationService service = service();

    // The SAML role comes from a rule added in code, as the CDI module adds rule beans: the issuer here is a fake, so
    // the configuration needs no saml section.
    DelegationService service() {
        DelegationConfig config = DelegationConfig.builder()
                .oidc(OidcSettings.of(URI.create(Identities.ISSUER), "shop"))
                .sts(StsSettings.builder().region(Region.US_EAST_1).build())
                .rules(List.of(DeclarativeRule.builder("nobody").connectionTypes(ConnectionType.ENTERPRISE)
                        .grant(RoleGrant.of(WEB_ROLE)).build()))
                .build();
        DelegationService created = DelegationService.create(config, IdTokenValidator.builder()
                .issuer(URI.create(Identities.ISSUER)).clientId("shop").build(), new RecordingSource(), clock);
        created.decider().addRules(List.of(DeclarativeRule.builder("social").connectionTypes(ConnectionType.SOCIAL)
                .grant(RoleGrant.of(WEB_ROLE))
                .grant(RoleGrant.builder(SAML_ROLE).principal("arn:aws:iam::123456789012:saml-provider/shop").build())
                .grant(RoleGrant.builder(CHAINED_ROLE).federation(RoleGrant.Federation.ASSUME_ROLE).build())
                .build()));
        return created;
    }

    final class RecordingSource implements CredentialSource {
        @Override
        public IssuedCredentials issue(CredentialRequest request) {
            issued.add(request);
            Instant expiration = clock.instant().plus(Duration.ofHours(1));
            return new IssuedCredentials(AwsSessionCredentials.create("ASIA" + issued.size(), "secret", "token"), expiration,
                    request.role().roleArn(), null, null);
        }

        @Override
        public void close() {
        }
    }

    @AfterEach
    void close() {
        service.close();
    }

    @Test
    @DisplayName("a web identity role asks for the token once per STS call; cached credentials need none")
    void webIdentity_asksOnCacheMissOnly() {
        AtomicInteger asked = new AtomicInteger();
        Supplier<String> token = () -> "fresh-token-" + asked.incrementAndGet();

        service.delegate(Identities.social("amazon|1"), token, "web", EntryPoint.APPLICATION);
        service.delegate(Identities.social("amazon|1"), token, "web", EntryPoint.APPLICATION);

        assertThat(asked).hasValue(1);
        assertThat(issued).singleElement().satisfies(r -> assertThat(r.idToken()).isEqualTo("fresh-token-1"));
    }

    @Test
    @DisplayName("SAML and AssumeRole roles never ask for the ID token, so an expired one cannot end their session")
    void samlAndAssumeRole_neverAsk() {
        Supplier<String> refused = () -> {
            throw new AssertionError("the ID token was asked for a role that does not send it to STS");
        };

        Delegation console = service.delegate(Identities.social("amazon|2"), refused, "console", EntryPoint.APPLICATION);
        Delegation chained = service.delegate(Identities.social("amazon|2"), refused, "chained", EntryPoint.APPLICATION);

        assertThat(console.credentials().roleArn()).isEqualTo(SAML_ROLE);
        assertThat(chained.credentials().roleArn()).isEqualTo(CHAINED_ROLE);
        assertThat(issued).extracting(CredentialRequest::idToken).containsOnlyNulls();
    }

    @Test
    @DisplayName("the app sees the earlier of the credentials' expiry and the sign-in session's end")
    void expiresAt_earlierOfCredentialsAndSession() {
        Delegation d = service.delegate(Identities.social("amazon|3"), () -> "t", "web", EntryPoint.APPLICATION);
        Instant credentialsEnd = d.credentials().expiration();

        assertThat(d.expiresAt()).isEqualTo(credentialsEnd);
        assertThat(d.withSessionEnd(credentialsEnd.minusSeconds(60)).expiresAt()).isEqualTo(credentialsEnd.minusSeconds(60));
        assertThat(d.withSessionEnd(credentialsEnd.plusSeconds(60)).expiresAt()).isEqualTo(credentialsEnd);
    }
}

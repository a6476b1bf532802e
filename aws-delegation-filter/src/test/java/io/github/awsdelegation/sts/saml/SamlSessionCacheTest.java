package io.github.awsdelegation.sts.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.Identities;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.OidcSettings;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's credential cache with roles assumed with SAML, against the testkit's STS (which verifies the signed
 * assertion and records the session it makes): the values this module signs into the assertion are part of the key.
 */
class SamlSessionCacheTest {

    private LocalSamlSts sts;
    private DelegationService service;
    private final RoleGrant tagged = RoleGrant.builder(LocalSamlSts.TAGGED_ROLE).principal(LocalSamlSts.PROVIDER).build();

    @BeforeEach
    void start() {
        SamlSettings settings = SamlAssertionFactoryTest.settings().principalTag("team", "claim.team")
                .sourceIdentity("claim.employee").build();
        sts = new LocalSamlSts(settings, Clock.systemUTC());
        service = DelegationService.create(DelegationConfig.builder()
                .oidc(OidcSettings.of(URI.create(Identities.ISSUER), "pet-shop"))
                .sts(sts.stsSettings())
                .saml(settings, null)
                .rules(List.of(DeclarativeRule.builder("teams").grant(tagged).build()))
                .build());
    }

    @AfterEach
    void stop() {
        service.close();
        sts.close();
    }

    private Delegation credentials(String team, String employee) {
        VerifiedIdentity user = Identities.withClaims("auth0|7", ConnectionType.DATABASE,
                Map.of("sub", "auth0|7", "team", team, "employee", employee));
        return service.delegate(user, () -> null, new RoleDecision(tagged, List.of(tagged), "teams", "test", false),
                EntryPoint.APPLICATION);
    }

    @Test
    @DisplayName("a user moved from team A to team B gets PrincipalTag team=B at the next request, not A's cached credentials")
    void credentialsFor_principalTagChanges_newSession() {
        Delegation a = credentials("A", "e-1");
        Delegation againA = credentials("A", "e-1");
        Delegation b = credentials("B", "e-1");

        assertThat(againA.credentials()).isSameAs(a.credentials());
        assertThat(b.credentials().credentials().accessKeyId()).isNotEqualTo(a.credentials().credentials().accessKeyId());
        assertThat(sts.sts.session(b.credentials().credentials().accessKeyId()).orElseThrow().sessionTags())
                .containsEntry("team", "B");
        assertThat(sts.sts.calls()).hasSize(2);
    }

    @Test
    @DisplayName("a changed source identity claim gets a new session with the new source identity")
    void credentialsFor_sourceIdentityChanges_newSession() {
        Delegation first = credentials("A", "e-1");
        Delegation second = credentials("A", "e-2");

        assertThat(second.credentials().credentials().accessKeyId()).isNotEqualTo(first.credentials().credentials().accessKeyId());
        assertThat(sts.sts.session(second.credentials().credentials().accessKeyId()).orElseThrow().sourceIdentity())
                .isEqualTo("e-2");
    }
}

package io.github.awsdelegation;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.OidcSettings;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.token.ConnectionType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The credential cache with web-identity roles, against the testkit's IdP and STS (which takes session tags and the
 * source identity from the ID token's claims, as AWS does): the claims that shape the session are part of the key.
 */
class WebIdentitySessionCacheTest {

    private LocalAws aws;
    private DelegationService service;

    @BeforeEach
    void start() {
        aws = LocalAws.builder().start();
        service = DelegationService.create(DelegationConfig.builder()
                .oidc(OidcSettings.of(aws.identityProvider().issuer(), Demo.CLIENT_ID))
                .sts(StsSettings.builder().region(Region.US_EAST_1).endpointOverride(aws.sts().endpoint()).maxAttempts(1).build())
                .rules(List.of(DeclarativeRule.builder("social-buyers").connectionTypes(ConnectionType.SOCIAL)
                        .grant(RoleGrant.of(Demo.BUYER_ROLE_ARN)).build()))
                .build());
    }

    @AfterEach
    void stop() {
        service.close();
        aws.close();
    }

    private String token(String team) {
        return aws.identityProvider().newIdToken().subject("amazon|team-mover")
                .claim("https://aws.amazon.com/tags", Map.of("principal_tags", Map.of("team", List.of(team)),
                        "transitive_tag_keys", List.of()))
                .sign();
    }

    @Test
    @DisplayName("a user whose token's tag claim moves from team A to team B gets a session tagged team=B at once, "
            + "while the same claims are served from the cache")
    void delegate_tagsClaimChanges_newSession() {
        Delegation a = service.delegate(token("A"), null, null);
        Delegation againA = service.delegate(token("A"), null, null);
        Delegation b = service.delegate(token("B"), null, null);

        assertThat(againA.credentials()).as("a new token with the same claims: cached").isSameAs(a.credentials());
        assertThat(b.credentials().credentials().accessKeyId()).isNotEqualTo(a.credentials().credentials().accessKeyId());
        assertThat(aws.sts().session(a.credentials().credentials().accessKeyId()).orElseThrow().sessionTags())
                .containsEntry("team", "A");
        assertThat(aws.sts().session(b.credentials().credentials().accessKeyId()).orElseThrow().sessionTags())
                .containsEntry("team", "B");
    }
}

package io.github.awsdelegation.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.role.RoleRules;
import io.github.awsdelegation.testkit.SigningKeyStores;
import io.github.awsdelegation.token.ConnectionResolver.Connection;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAR's own {@code WEB-INF/aws-delegation.yaml} points at any provider by variables alone (docs/sample.md,
 * "Pointing at Keycloak"): unset, the connection comes from Auth0's {@code sub} prefixes as before; with the
 * {@code AWS_DELEGATION_CONNECTION_*} variables, from Keycloak's {@code identity_provider} claim, failing closed.
 */
class SampleConnectionVariablesTest {

    private static final Path CONFIG = Path.of("src/main/webapp/WEB-INF/aws-delegation.yaml");

    @TempDir
    Path work;

    private RoleRules rules;
    private DelegationConfig config;

    private void load(Map<String, String> connectionVariables) {
        Map<String, String> variables = new HashMap<>(connectionVariables);
        variables.put("AWS_DELEGATION_ISSUER", "https://keycloak.example.com/realms/petshop");
        variables.put("PET_SHOP_SAML_KEYSTORE", SigningKeyStores.writePkcs12(work.resolve("saml.p12"), "saml", "demo-only",
                "pet-shop test").toString());
        variables.put("PET_SHOP_SAML_KEYSTORE_PASSWORD", "demo-only");
        config = DelegationConfigLoader.withVariables(variables).load(CONFIG);
        rules = RoleRules.of(config.rules());
    }

    /** The role the sample's rules give a user with these claims, by the configured connection resolver. */
    private String roleOf(String subject, Map<String, Object> claims) {
        Connection connection = config.oidc().connectionResolver().resolve(subject, claims);
        VerifiedIdentity identity = new VerifiedIdentity(config.oidc().issuer().toString(), subject, connection.type(), connection.name(),
                List.of(), null, Instant.now().plusSeconds(300), claims);
        return rules.decide(identity, null).role().roleName();
    }

    @Test
    @DisplayName("without the connection variables: Auth0's sub prefixes, as the embedded default has always run")
    void unset_auth0SubPrefixes() {
        load(Map.of());

        assertThat(roleOf("auth0|42", Map.of())).isEqualTo("pet-shop-admin");
        assertThat(roleOf("amazon|amzn1.account.X", Map.of())).isEqualTo("pet-shop-buyer");
    }

    @Test
    @DisplayName("Keycloak by variables: realm users (no claim) are admins, listed brokers buyers, a new broker gets no role")
    void keycloak_byVariables_failsClosed() {
        load(Map.of("AWS_DELEGATION_CONNECTION_CLAIM", "identity_provider",
                "AWS_DELEGATION_CONNECTION_TYPES", "amazon=social,google=social",
                "AWS_DELEGATION_CONNECTION_ABSENT", "database"));

        assertThat(roleOf("f1c2", Map.of())).isEqualTo("pet-shop-admin");
        assertThat(roleOf("a7b3", Map.of("identity_provider", "amazon"))).isEqualTo("pet-shop-buyer");
        assertThat(roleOf("c9d4", Map.of("identity_provider", "google"))).isEqualTo("pet-shop-buyer");
        assertThatThrownBy(() -> roleOf("e5f6", Map.of("identity_provider", "github")))
                .isInstanceOf(RoleDeniedException.class).hasMessageContaining("no role rule matches this user (connection type unknown");
    }
}

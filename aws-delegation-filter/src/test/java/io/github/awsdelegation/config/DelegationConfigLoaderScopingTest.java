package io.github.awsdelegation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/** The per-role scoping keys: federation, managedPolicies, tags, transitiveTags, sourceIdentity; and sts.credentials. */
class DelegationConfigLoaderScopingTest {

    final DelegationConfigLoader loader = DelegationConfigLoader.withVariables(Map.of("ISSUER", "https://tenant.eu.auth0.com/",
            "APP_KEY", "AKIAAPPEXAMPLE000003", "APP_SECRET", "app-secret-from-the-environment-0000000"));

    String document(String role) {
        return """
                oidc:
                  issuer: ${ISSUER}
                  clientId: pet-shop
                sts:
                  region: eu-west-1
                  credentials:
                    accessKeyId: ${APP_KEY}
                    secretAccessKey: ${APP_SECRET}
                rules:
                  - id: admins
                    roles:
                      - arn: arn:aws:iam::123456789012:role/pet-shop-admin
                """ + role.indent(8);
    }

    @Test
    @DisplayName("an assume-role role takes managed policies, tags with per-user values, transitive keys and a source identity")
    void parse_assumeRoleScope() {
        DelegationConfig config = loader.parse(document("""
                federation: assume-role
                managedPolicies: [arn:aws:iam::123456789012:policy/read-only]
                tags:
                  email: ${email}
                  app: pet-shop
                transitiveTags: [email]
                sourceIdentity: ${sessionName}
                """));

        RoleGrant role = ((DeclarativeRule) config.rules().get(0)).roles().get(0);
        assertThat(role.federation()).isEqualTo(RoleGrant.Federation.ASSUME_ROLE);
        assertThat(role.scope().managedPolicies()).containsExactly("arn:aws:iam::123456789012:policy/read-only");
        assertThat(role.scope().tags()).containsExactly(Map.entry("email", "${email}"), Map.entry("app", "pet-shop"));
        assertThat(role.scope().transitiveTagKeys()).containsExactly("email");
        assertThat(role.scope().sourceIdentity()).isEqualTo("${sessionName}");
        AwsCredentials credentials = config.sts().credentials().resolveCredentials();
        assertThat(credentials.accessKeyId()).isEqualTo("AKIAAPPEXAMPLE000003");
        assertThat(config.sts().toString()).doesNotContain("app-secret");
    }

    @Test
    @DisplayName("scoping that cannot work fails the deployment, naming the key")
    void parse_errorsNameTheKey() {
        assertThatThrownBy(() -> loader.parse(document("tags: {team: blue}")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("rules[0].roles[0].tags")
                .hasMessageContaining("AssumeRoleWithWebIdentity takes session tags");
        assertThatThrownBy(() -> loader.parse(document("federation: assume-role\ntags: {team: '${department}'}")))
                .hasMessageContaining("rules[0].roles[0].tags.team").hasMessageContaining("${department}");
        assertThatThrownBy(() -> loader.parse(document("federation: assume-role\ntags: {team: blue}\ntransitiveTags: [colour]")))
                .hasMessageContaining("rules[0].roles[0].transitiveTags").hasMessageContaining("'colour' is not one of the role's tags");
        assertThatThrownBy(() -> loader.parse(document("managedPolicies: [arn:aws:iam::123456789012:role/not-a-policy]")))
                .hasMessageContaining("rules[0].roles[0].managedPolicies").hasMessageContaining("not an IAM policy ARN");
        assertThatThrownBy(() -> loader.parse(document("federation: assume-role\nsourceIdentity: 'aws:me'")))
                .hasMessageContaining("rules[0].roles[0].sourceIdentity");
        assertThatThrownBy(() -> loader.parse(document("federation: assume-roles")))
                .hasMessageContaining("rules[0].roles[0].federation").hasMessageContaining("use web-identity, saml or assume-role");
        assertThatThrownBy(() -> loader.parse(document("sessionPolicy: '{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":true}}}}'")))
                .hasMessageContaining("rules[0].roles[0].sessionPolicy").hasMessageContaining("as a JSON string");
    }
}

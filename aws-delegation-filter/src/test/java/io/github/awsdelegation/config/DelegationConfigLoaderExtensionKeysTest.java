package io.github.awsdelegation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.role.internal.RulePlaceholder;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The keys the CDI module relies on: {@code clients} and the {@code bean} rule entries. */
class DelegationConfigLoaderExtensionKeysTest {

    static final String HEAD = """
            oidc:
              issuer: https://tenant.eu.auth0.com/
              clientId: pet-shop
            sts:
              region: eu-west-1
            """;

    final DelegationConfigLoader loader = DelegationConfigLoader.withVariables(Map.of("S3_ENDPOINT", "http://127.0.0.1:9000"));

    @Test
    @DisplayName("without a clients section, the clients use AWS's endpoints and virtual-host-style S3 requests")
    void clients_defaults() {
        DelegationConfig config = loader.parse(HEAD + """
                rules:
                  - id: everyone
                    roles: [{arn: "arn:aws:iam::123456789012:role/r"}]
                """);

        assertThat(config.clients()).isEqualTo(io.github.awsdelegation.config.ClientSettings.defaults());
        assertThat(config.clients().s3Endpoint()).isNull();
        assertThat(config.clients().s3PathStyle()).isFalse();
    }

    @Test
    @DisplayName("clients.s3 replaces the S3 endpoint and turns on path-style requests, for a local S3")
    void clients_s3() {
        DelegationConfig config = loader.parse(HEAD + """
                clients:
                  s3:
                    endpoint: ${S3_ENDPOINT}
                    pathStyle: true
                rules:
                  - id: everyone
                    roles: [{arn: "arn:aws:iam::123456789012:role/r"}]
                """);

        assertThat(config.clients().s3Endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(config.clients().s3PathStyle()).isTrue();
    }

    @Test
    @DisplayName("clients.executeApi.maxResponseBytes bounds the execute-api client's reads; 10 MiB by default, at least 1")
    void clients_executeApiMaxResponseBytes() {
        String rules = """
                rules:
                  - id: everyone
                    roles: [{arn: "arn:aws:iam::123456789012:role/r"}]
                """;
        assertThat(loader.parse(HEAD + rules).clients().executeApiMaxResponseBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(loader.parse(HEAD + """
                clients:
                  executeApi:
                    maxResponseBytes: 65536
                """ + rules).clients().executeApiMaxResponseBytes()).isEqualTo(65536);
        assertThatThrownBy(() -> loader.parse(HEAD + """
                clients:
                  executeApi:
                    maxResponseBytes: 0
                """ + rules))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("clients.executeApi.maxResponseBytes: must be at least 1");
    }

    @Test
    @DisplayName("a misspelt clients key fails with its full name")
    void clients_unknownKey() {
        assertThatThrownBy(() -> loader.parse(HEAD + """
                clients:
                  s3:
                    pathstyle: true
                rules:
                  - id: everyone
                    roles: [{arn: "arn:aws:iam::123456789012:role/r"}]
                """))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("clients.s3.pathstyle: unknown key");
    }

    @Test
    @DisplayName("a bean entry keeps its position in the rule order for a rule contributed at run time")
    void rules_bean() {
        DelegationConfig config = loader.parse(HEAD + """
                rules:
                  - bean: vip-customers
                  - id: everyone
                    roles: [{arn: "arn:aws:iam::123456789012:role/r"}]
                """);

        assertThat(config.rules()).extracting(RoleRule::id).containsExactly("vip-customers", "everyone");
        assertThat(config.rules().get(0)).isInstanceOf(RulePlaceholder.class);
    }

    @Test
    @DisplayName("a bean entry takes no conditions or roles of its own: the bean decides")
    void rules_beanWithConditions() {
        assertThatThrownBy(() -> loader.parse(HEAD + """
                rules:
                  - bean: vip-customers
                    connectionType: social
                """))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("rules[0].connectionType: unknown key");
    }

    @Test
    @DisplayName("a bean entry's id must not be another rule's")
    void rules_beanDuplicate() {
        assertThatThrownBy(() -> loader.parse(HEAD + """
                rules:
                  - bean: everyone
                  - id: everyone
                    roles: [{arn: "arn:aws:iam::123456789012:role/r"}]
                """))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("rule id 'everyone' is used twice");
    }
}

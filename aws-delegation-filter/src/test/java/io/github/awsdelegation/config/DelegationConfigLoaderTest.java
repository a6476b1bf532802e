package io.github.awsdelegation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.Identities;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleRules;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class DelegationConfigLoaderTest {

    static final String SEED = """
            oidc:
              issuer: ${ISSUER}
              clientId: pet-shop
            sts:
              region: eu-west-1
            rules:
              - id: social-buyers
                connectionType: social
                roles:
                  - arn: arn:aws:iam::123456789012:role/pet-shop-buyer
              - id: database-admins
                connectionType: database
                roles:
                  - arn: arn:aws:iam::123456789012:role/pet-shop-admin
            """;

    final DelegationConfigLoader loader = DelegationConfigLoader.withVariables(Map.of(
            "ISSUER", "https://tenant.eu.auth0.com/", "STS_ENDPOINT", "http://127.0.0.1:4566", "BUCKET", "pet-files"));

    @Test
    @DisplayName("the seed's rules fit in a few lines, and everything else has a default")
    void parse_seed() {
        DelegationConfig config = loader.parse(SEED);

        assertThat(config.issuer()).hasToString("https://tenant.eu.auth0.com/");
        assertThat(config.clientId()).isEqualTo("pet-shop");
        assertThat(config.algorithms()).containsExactly("RS256");
        assertThat(config.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.sts().region()).isEqualTo(Region.EU_WEST_1);
        assertThat(config.sts().endpointOverride()).isNull();
        assertThat(config.sessionDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(config.refreshAhead()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.request().sessionAttribute()).isEqualTo(DelegationConfig.DEFAULT_SESSION_ATTRIBUTE);
        assertThat(config.request().roleHeader()).isEqualTo("X-AWS-Role");
        assertThat(config.login()).isNull();
        RoleRules rules = RoleRules.of(config.rules());
        assertThat(rules.decide(Identities.social("amazon|1"), null).role().roleName()).isEqualTo("pet-shop-buyer");
        assertThat(rules.decide(Identities.database("auth0|1", List.of()), null).role().roleName()).isEqualTo("pet-shop-admin");
    }

    @Test
    @DisplayName("every option can be set, and session policies keep their per-user variables")
    void parse_everything() {
        DelegationConfig config = loader.parse("""
                oidc:
                  issuer: http://127.0.0.1:8080/
                  clientId: pet-shop
                  trustedAudiences: [https://api.example.com]
                  algorithms: [RS256, ES256]
                  clockSkew: 30s
                  maxTokenAge: 12h
                  groupsClaim: https://example.com/groups
                  connection:
                    claim: identity_provider
                    types: {google: social, corp: enterprise}
                    default: database
                sts:
                  region: us-east-1
                  endpoint: ${STS_ENDPOINT}
                  callTimeout: 3s
                  attemptTimeout: 1s
                  maxAttempts: 2
                  retryAfter: 10s
                  sessionDuration: 2h
                cache:
                  refreshAhead: 10m
                  maximumSize: 500
                request:
                  sessionAttribute: idToken
                  bearer: false
                  roleHeader: X-Role
                  roleParameter: role
                  publicPaths: [/, /static/*]
                login:
                  clientSecret: ${MISSING_SECRET:-}
                  loginPath: /signin
                  scopes: [openid, email]
                rules:
                  - id: staff
                    group: pet-admins
                    emailDomain: example.com
                    claims:
                      - {name: department, equals: sales}
                    roles:
                      - arn: arn:aws:iam::123456789012:role/pet-shop-admin
                        region: eu-central-1
                        sessionDuration: 30m
                        sessionPolicy: |
                          {"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::${BUCKET}/${sub}/*"}]}
                """);

        assertThat(config.trustedAudiences()).containsExactly("https://api.example.com");
        assertThat(config.algorithms()).containsExactly("RS256", "ES256");
        assertThat(config.maxTokenAge()).isEqualTo(Duration.ofHours(12));
        assertThat(config.sts().endpointOverride()).hasToString("http://127.0.0.1:4566");
        assertThat(config.sts().maxAttempts()).isEqualTo(2);
        assertThat(config.cacheMaximumSize()).isEqualTo(500);
        assertThat(config.request().isPublic("/static/app.js")).isTrue();
        assertThat(config.request().isPublic("/api/pets")).isFalse();
        assertThat(config.login().loginPath()).isEqualTo("/signin");
        assertThat(config.login().clientSecret()).isNull();
        var role = ((DeclarativeRule) config.rules().get(0)).roles().get(0);
        assertThat(role.region()).isEqualTo("eu-central-1");
        assertThat(role.sessionDuration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(role.sessionPolicy()).contains("arn:aws:s3:::pet-files/${sub}/*");
    }

    @Test
    @DisplayName("each mistake names the key at fault and the fix")
    void parse_mistakes() {
        assertMistake(SEED.replace("  clientId: pet-shop\n", ""), "oidc.clientId: missing");
        assertMistake(SEED.replace("${ISSUER}", "${NOPE}"), "oidc.issuer: ${NOPE} is neither a system property nor an environment variable");
        assertMistake(SEED.replace("${ISSUER}", "http://idp.example.com/"), "oidc.issuer: 'http://idp.example.com/' must be an https URL");
        assertMistake(SEED.replace("eu-west-1", "eu-nowhere-7"), "sts.region: 'eu-nowhere-7' is not an AWS region");
        assertMistake(SEED.replace("connectionType: social", "connectionType: socail"), "rules[0].connectionType: unknown connection type 'socail'");
        assertMistake(SEED.replace("role/pet-shop-buyer", "user/pet-shop-buyer"), "rules[0].roles[0].arn:");
        assertMistake(SEED.replace("  clientId:", "  clientID:"), "oidc.clientId: missing (found 'clientID': keys are case-sensitive)");
        assertMistake(SEED.replace("  clientId: pet-shop", "  clientId: pet-shop\n  clockskew: 5s"), "oidc.clockskew: unknown key");
        assertMistake(SEED.replace("id: database-admins", "id: social-buyers"), "is used twice");
        assertMistake(SEED + "        sessionPolicy: '{\"Statement\": [}'\n", "rules[1].roles[0].sessionPolicy: session policy of rule 'database-admins' is not valid JSON");
        assertMistake(SEED + "        sessionDuration: 13h\n", "rules[1].roles[0].sessionDuration: PT13H is outside STS's range");
        assertMistake(SEED + "  - id: empty\n    connectionType: social\n", "rules[2].roles: rule 'empty' grants no role");
        assertMistake(SEED + "  - class: com.example.NoSuchRule\n", "rules[2].class: cannot create com.example.NoSuchRule");
        assertMistake("oidc: [", "config: not valid YAML");
        assertMistake(SEED.replace("rules:", "cache:\n  refreshAhead: 2h\nrules:"), "cache.refreshAhead: PT2H must be longer than 1 minute and shorter than sts.sessionDuration");
    }

    @Test
    @DisplayName("request.allowedOrigins takes origins as browsers send them, lower-cased, and names the key for anything else")
    void parse_allowedOrigins() {
        DelegationConfig config = loader.parse(SEED + "request:\n  allowedOrigins: [https://Admin.example.com, http://127.0.0.1:8081]\n");

        assertThat(config.request().allowedOrigins()).containsExactlyInAnyOrder("https://admin.example.com", "http://127.0.0.1:8081");
        assertThat(loader.parse(SEED).request().allowedOrigins()).as("by default only the app's own origin").isEmpty();
        for (String notAnOrigin : new String[] {"https://admin.example.com/", "https://admin.example.com/app", "*",
                "admin.example.com", "ftp://admin.example.com", "https://user@admin.example.com"}) {
            assertMistake(SEED + "request:\n  allowedOrigins: ['" + notAnOrigin + "']\n",
                    "request.allowedOrigins: '" + notAnOrigin + "' is not an origin; write scheme://host[:port]");
        }
    }

    @Test
    @DisplayName("request.publicPaths takes plain decoded paths and /* prefixes only, and names the key for anything else")
    void parse_publicPaths() {
        assertThat(loader.parse(SEED + "request:\n  publicPaths: [/, /index.html, /static/*]\n").request().isPublic("/static/a.css"))
                .isTrue();
        for (String notAPath : new String[] {"static/*", "/static/*.css", "/static/../api/*", "/a;b", "/%2e/x", "/a\\b"}) {
            assertMistake(SEED + "request:\n  publicPaths: ['" + notAPath + "']\n",
                    "request.publicPaths: '" + notAPath + "' is not a public path");
        }
    }

    private void assertMistake(String yaml, String message) {
        assertThatThrownBy(() -> loader.parse(yaml)).isInstanceOf(ConfigurationException.class).hasMessageContaining(message);
    }

    /** A rule in code, named in the document. */
    public static final class VipRule implements io.github.awsdelegation.role.RoleRule {
        @Override
        public String id() {
            return "vip";
        }

        @Override
        public java.util.Optional<RuleMatch> match(io.github.awsdelegation.token.VerifiedIdentity identity) {
            return java.util.Optional.empty();
        }
    }

    @Test
    void parse_codeRuleAtItsPosition() {
        DelegationConfig config = loader.parse(SEED.replace("rules:\n", "rules:\n  - class: " + VipRule.class.getName() + "\n"));

        assertThat(config.rules()).extracting(r -> r.id()).containsExactly("vip", "social-buyers", "database-admins");
    }
}

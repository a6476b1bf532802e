package io.github.awsdelegation.config;

import io.github.awsdelegation.cache.CredentialCache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.Identities;
import io.github.awsdelegation.cache.CredentialCache;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.role.RoleRules;
import io.github.awsdelegation.token.ConnectionResolver;
import io.github.awsdelegation.token.ConnectionType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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

        assertThat(config.oidc().issuer()).hasToString("https://tenant.eu.auth0.com/");
        assertThat(config.oidc().clientId()).isEqualTo("pet-shop");
        assertThat(config.oidc().algorithms()).containsExactly("RS256");
        assertThat(config.oidc().clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.sts().region()).isEqualTo(Region.EU_WEST_1);
        assertThat(config.sts().endpointOverride()).isNull();
        assertThat(config.sts().sessionDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(config.cache().refreshAhead()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.request().sessionAttribute()).isEqualTo(io.github.awsdelegation.config.RequestSettings.DEFAULT_SESSION_ATTRIBUTE);
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
                    absent: database
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

        assertThat(config.oidc().trustedAudiences()).containsExactly("https://api.example.com");
        assertThat(config.oidc().algorithms()).containsExactly("RS256", "ES256");
        assertThat(config.oidc().maxTokenAge()).isEqualTo(Duration.ofHours(12));
        assertThat(config.sts().endpointOverride()).hasToString("http://127.0.0.1:4566");
        assertThat(config.sts().maxAttempts()).isEqualTo(2);
        assertThat(config.cache().maximumSize()).isEqualTo(500);
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
    @DisplayName("every setting of the validator is reachable from oidc: verified email, HTTP timeouts, JWKS cache, discovery retry")
    void parse_validatorSettings() {
        DelegationConfig config = loader.parse(SEED.replace("  clientId: pet-shop\n", """
                  clientId: pet-shop
                  requireVerifiedEmail: false
                  connectTimeout: 500ms
                  readTimeout: 3s
                  jwksCacheTimeToLive: 10m
                  discoveryRetryInterval: 0
                  validatedTokenCacheSize: 0
                """));

        OidcSettings oidc = config.oidc();
        assertThat(oidc.requireVerifiedEmail()).isFalse();
        assertThat(oidc.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(oidc.readTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(oidc.jwksCacheTimeToLive()).isEqualTo(Duration.ofMinutes(10));
        assertThat(oidc.discoveryRetryInterval()).isZero();
        assertThat(oidc.validatedTokenCacheSize()).isZero();
        assertThat(loader.parse(SEED).oidc()).as("the defaults are the validator's")
                .isEqualTo(OidcSettings.of(URI.create("https://tenant.eu.auth0.com/"), "pet-shop"));
        assertMistake(SEED.replace("  clientId: pet-shop\n", "  clientId: pet-shop\n  connectTimeout: 0s\n"),
                "oidc.connectTimeout: must be positive");
    }

    @Test
    @DisplayName("every setting of the credential cache is reachable from cache:, minimum validity included")
    void parse_cacheSettings() {
        CacheSettings cache = loader.parse(SEED.replace("rules:", """
                cache:
                  refreshAhead: 10m
                  maximumSize: 500
                  minimumValidity: 3m
                rules:""")).cache();

        assertThat(cache.refreshAhead()).isEqualTo(Duration.ofMinutes(10));
        assertThat(cache.maximumSize()).isEqualTo(500);
        assertThat(cache.minimumValidity()).isEqualTo(Duration.ofMinutes(3));
        assertThat(loader.parse(SEED).cache()).as("the defaults are the cache's")
                .isEqualTo(CacheSettings.defaults())
                .extracting(CacheSettings::minimumValidity).isEqualTo(CredentialCache.DEFAULT_MINIMUM_VALIDITY);
        assertMistake(SEED.replace("rules:", "cache:\n  minimumValidity: 0s\nrules:"),
                "cache.minimumValidity: PT0S must be positive");
        assertMistake(SEED.replace("rules:", "cache:\n  minimumValidity: 6m\nrules:"),
                "cache.refreshAhead: PT5M must be longer than 6 minutes and shorter than sts.sessionDuration "
                        + "(longer than cache.minimumValidity");
    }

    @Test
    @DisplayName("a role's old issuer: key fails naming its new name, federation:; issuer means only the OIDC iss")
    void parse_formerRoleIssuerKey() {
        assertMistake(SEED + "        issuer: assume-role\n", "rules[1].roles[0].issuer: is now called federation");
        assertMistake(SEED + "        issuer: assume-role\n", "write federation: assume-role");
    }

    @Test
    @DisplayName("a per-user variable outside a per-user template is refused naming the key; inside one it is kept")
    void parse_perUserVariableOnlyInTemplates() {
        assertMistake(SEED.replace("clientId: pet-shop", "clientId: ${sub}"), "oidc.clientId: ${sub} is a per-user variable");
        assertMistake(SEED.replace("connectionType: social", "group: ${claim.team}"), "rules[0].group: ${claim.team} is a per-user variable");
        assertThat(((DeclarativeRule) loader.parse(SEED + "        sessionPolicy: '{\"Statement\":{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::${BUCKET}/${sub}/*\"}}'\n").rules().get(1))
                .roles().get(0).sessionPolicy()).contains("arn:aws:s3:::pet-files/${sub}/*");
    }

    /** The seed with an {@code oidc.connection} section of the given lines (indented by the caller's text block). */
    private static String withConnection(String lines) {
        return SEED.replace("  clientId: pet-shop\n", "  clientId: pet-shop\n  connection:\n"
                + lines.indent(4));
    }

    private static ConnectionResolver.Connection resolve(DelegationConfig config, Map<String, Object> claims) {
        return config.oidc().connectionResolver().resolve("f1c2", claims);
    }

    @Test
    @DisplayName("oidc.connection fails closed: absent says what a token without the claim is, an unlisted provider is unknown")
    void parse_connection_absentAndUnlisted() {
        DelegationConfig keycloak = loader.parse(withConnection("""
                claim: identity_provider
                types: {amazon: social}
                absent: database
                """));

        assertThat(resolve(keycloak, Map.of("identity_provider", "amazon")).type()).isEqualTo(ConnectionType.SOCIAL);
        assertThat(resolve(keycloak, Map.of()).type()).isEqualTo(ConnectionType.DATABASE);
        // Issue 12: a brokered provider added later ("github") is not database, and so gets no admin role.
        assertThat(resolve(keycloak, Map.of("identity_provider", "github")).type()).isEqualTo(ConnectionType.UNKNOWN);
        assertThatThrownBy(() -> RoleRules.of(keycloak.rules()).decide(
                Identities.withClaims("f1c2", ConnectionType.UNKNOWN, Map.of("sub", "f1c2")), null))
                .isInstanceOf(RoleDeniedException.class).hasMessageContaining("no role rule matches this user (connection type unknown");
    }

    @Test
    @DisplayName("oidc.connection.types may be one string name=type,... so that one variable carries it; empty is none")
    void parse_connection_typesFromOneVariable() {
        String yaml = withConnection("""
                claim: ${CLAIM:-}
                types: ${TYPES:-}
                absent: ${ABSENT:-}
                """);
        DelegationConfigLoader keycloakVariables = DelegationConfigLoader.withVariables(Map.of("ISSUER", "https://kc.example.com/realms/shop",
                "CLAIM", "identity_provider", "TYPES", "amazon=social, google = social,corp=enterprise", "ABSENT", "database"));

        DelegationConfig keycloak = keycloakVariables.parse(yaml);
        DelegationConfig auth0 = loader.parse(yaml);

        assertThat(resolve(keycloak, Map.of("identity_provider", "google")).type()).isEqualTo(ConnectionType.SOCIAL);
        assertThat(resolve(keycloak, Map.of("identity_provider", "corp")).type()).isEqualTo(ConnectionType.ENTERPRISE);
        assertThat(resolve(keycloak, Map.of()).type()).isEqualTo(ConnectionType.DATABASE);
        assertThat(resolve(keycloak, Map.of("identity_provider", "github")).type()).isEqualTo(ConnectionType.UNKNOWN);
        // All variables unset: Auth0's sub prefixes, as without the section.
        assertThat(auth0.oidc().connectionResolver().resolve("auth0|1", Map.of()).type()).isEqualTo(ConnectionType.DATABASE);
        assertThat(auth0.oidc().connectionResolver().resolve("github|1", Map.of()).type()).isEqualTo(ConnectionType.SOCIAL);
    }

    @Test
    @DisplayName("an explicit catch-all oidc.connection.unlisted works, and is warned about at start-up naming the key and the risk")
    void parse_connection_unlistedCatchAll_warns() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        DelegationConfig config;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            config = loader.parse(withConnection("""
                    claim: idp
                    types: {0oa1corp: enterprise}
                    unlisted: social
                    """));
        } finally {
            System.setErr(original);
        }

        assertThat(resolve(config, Map.of("idp", "0oa9new")).type()).isEqualTo(ConnectionType.SOCIAL);
        assertThat(resolve(config, Map.of()).type()).isEqualTo(ConnectionType.UNKNOWN);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("WARN")
                .contains("oidc.connection.unlisted: social").contains("including any identity provider added to the OpenID Provider later");
    }

    @Test
    @DisplayName("each oidc.connection mistake names the key and the fix; the old 'default' fails instead of keeping its unsafe meaning")
    void parse_connection_mistakes() {
        assertMistake(withConnection("claim: identity_provider\ntypes: {amazon: social}\ndefault: database\n"),
                "oidc.connection.default: is no longer accepted: it gave every connection not listed under types, including providers"
                        + " added later, that type. List every connection under oidc.connection.types; use oidc.connection.absent for tokens"
                        + " without the claim (Keycloak's realm users: absent: database); only if you must, write an explicit catch-all"
                        + " oidc.connection.unlisted");
        assertMistake(withConnection("types: {oauth2: social}\nabsent: database\n"),
                "oidc.connection.absent: only applies with oidc.connection.claim");
        assertMistake(withConnection("unlisted: social\n"), "oidc.connection.unlisted: only applies with oidc.connection.claim");
        assertMistake(withConnection("claim: idp\nabsent: admin\n"), "oidc.connection.absent: unknown connection type 'admin'");
        assertMistake(withConnection("claim: idp\nAbsent: database\n"),
                "oidc.connection.Absent: unknown key (did you mean 'absent'? keys are case-sensitive)");
        assertMistake(withConnection("claim: idp\ntypes: 'google=social, github'\n"), "oidc.connection.types: 'github' is not name=type");
        assertMistake(withConnection("claim: idp\ntypes: 'google=social, google=database'\n"), "oidc.connection.types: 'google' is given twice");
        assertMistake(withConnection("claim: idp\ntypes: 'google=socail'\n"), "oidc.connection.types.google: unknown connection type 'socail'");
        assertMistake(withConnection("claim: idp\ntypes: {'': social}\n"), "oidc.connection.types: a connection name must not be blank");
        assertMistake(withConnection("types: {'a|b': social}\n"), "oidc.connection.types: 'a|b' is not a sub prefix");
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

package io.github.awsdelegation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.saml.SamlTestKeys;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/** The {@code saml} section and the per-role {@code federation}: read, defaulted, and every mistake named by its key. */
class SamlConfigurationTest {

    static final String PROVIDER = "arn:aws:iam::123456789012:saml-provider/pet-shop";

    @TempDir
    Path dir;

    Path keyStore;

    @BeforeEach
    void writeKeyStore() {
        KeyPair pair = SamlTestKeys.rsa2048();
        keyStore = SamlTestKeys.writePkcs12(dir.resolve("saml.p12"), "saml-signing", pair, SamlTestKeys.certificate(pair, "IdP"));
    }

    DelegationConfig parse(String saml, String roles) {
        return DelegationConfigLoader.withVariables(Map.of("SAML_KEYSTORE_PASSWORD", SamlTestKeys.PASSWORD)).parse("""
                oidc:
                  issuer: https://example.eu.auth0.com/
                  clientId: pet-shop
                sts:
                  region: eu-west-1
                %s
                rules:
                  - id: admins
                    connectionType: database
                    roles:
                %s
                """.formatted(saml, roles.indent(6)));
    }

    String saml(String extra) {
        return """
                saml:
                  entityId: https://shop.example.com/saml
                  keyStore:
                    path: %s
                    password: ${SAML_KEYSTORE_PASSWORD}
                %s""".formatted(keyStore, extra.indent(2));
    }

    static final String SAML_ROLE = "- arn: arn:aws:iam::123456789012:role/admin\n  principal: " + PROVIDER + "\n";

    RoleGrant firstRole(DelegationConfig config) {
        return ((DeclarativeRule) config.rules().get(0)).roles().get(0);
    }

    @Test
    @DisplayName("a minimal saml section: entity ID, keystore, endpoints on at their default paths, /saml/cli and /delegation off")
    void minimal() {
        DelegationConfig config = parse(saml(""), SAML_ROLE);

        assertThat(config.saml().entityId()).isEqualTo("https://shop.example.com/saml");
        assertThat(config.saml().signingKey().keySize()).isEqualTo(2048);
        assertThat(config.saml().assertionLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.samlEndpoints().metadataPath()).isEqualTo("/saml/metadata");
        assertThat(config.samlEndpoints().consolePath()).isEqualTo("/saml/console");
        assertThat(config.samlEndpoints().rolesPath()).isEqualTo("/saml/roles");
        assertThat(config.samlEndpoints().cliPath()).as("opt-in: it hands a signed assertion to a local program").isNull();
        assertThat(config.samlEndpoints().roleChooser()).isEqualTo(SamlEndpointSettings.RoleChooser.APP);
        assertThat(config.samlEndpoints().delegation()).isNull();
        assertThat(firstRole(config).federation()).as("a role with a SAML provider principal defaults to saml")
                .isEqualTo(RoleGrant.Federation.SAML);
    }

    @Test
    @DisplayName("endpoints.cli: on turns the command-line client's endpoint on at /saml/cli; a path, at that path; off, off")
    void cliEndpoint_optIn() {
        assertThat(parse(saml("endpoints:\n  cli: on\n"), SAML_ROLE).samlEndpoints().cliPath()).isEqualTo("/saml/cli");
        assertThat(parse(saml("endpoints:\n  cli: /terminal\n"), SAML_ROLE).samlEndpoints().cliPath()).isEqualTo("/terminal");
        assertThat(parse(saml("endpoints:\n  cli: off\n"), SAML_ROLE).samlEndpoints().cliPath()).isNull();
        assertThatThrownBy(() -> parse(saml("endpoints:\n  cli: terminal\n"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("saml.endpoints.cli: 'terminal' must be a path starting with /, or off");
    }

    @Test
    @DisplayName("everything set: attributes, tags, source identity, region, endpoints, aliases, /delegation")
    void full() {
        DelegationConfig config = parse(saml("""
                assertionLifetime: 2m
                signInRegion: eu-west-1
                baseUrl: https://shop.example.com/app
                attributes:
                  urn:oid:1.3.6.1.4.1.5923.1.1.1.1: groups
                  https://example.com/SAML/Attributes/team: claim.team
                principalTags:
                  team: claim.team
                transitiveTagKeys: [team]
                sourceIdentity: email
                endpoints:
                  metadata: /idp/metadata.xml
                  console: off
                  roles: false
                  cli: /terminal/saml
                console:
                  roleChooser: aws
                  relayState: https://console.aws.amazon.com/s3/
                accountAliases:
                  '012345678901': pet-shop-prod
                delegation:
                  clientIds: [pet-shop, legacy-spa]
                  allowedOrigins: [https://shop.example.com]
                """), SAML_ROLE + "  federation: web-identity\n");

        assertThat(config.saml().assertionLifetime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.saml().signInRegion()).isEqualTo(Region.EU_WEST_1);
        assertThat(config.saml().attributes()).extracting(a -> a.name() + "<-" + a.source())
                .containsExactly("urn:oid:1.3.6.1.4.1.5923.1.1.1.1<-groups", "https://example.com/SAML/Attributes/team<-claim.team");
        assertThat(config.saml().principalTags()).singleElement().satisfies(t -> assertThat(t.name()).isEqualTo("team"));
        assertThat(config.saml().transitiveTagKeys()).containsExactly("team");
        assertThat(config.saml().sourceIdentity()).isEqualTo("email");
        SamlEndpointSettings endpoints = config.samlEndpoints();
        assertThat(endpoints.metadataPath()).isEqualTo("/idp/metadata.xml");
        assertThat(endpoints.consolePath()).isNull();
        assertThat(endpoints.rolesPath()).isNull();
        assertThat(endpoints.cliPath()).isEqualTo("/terminal/saml");
        assertThat(endpoints.roleChooser()).isEqualTo(SamlEndpointSettings.RoleChooser.AWS);
        assertThat(endpoints.relayState()).hasToString("https://console.aws.amazon.com/s3/");
        assertThat(endpoints.baseUrl()).hasToString("https://shop.example.com/app");
        assertThat(endpoints.accountAlias("012345678901")).hasValue("pet-shop-prod");
        assertThat(endpoints.delegation().path()).isEqualTo("/delegation");
        assertThat(endpoints.delegation().clientIds()).containsExactlyInAnyOrder("pet-shop", "legacy-spa");
        assertThat(endpoints.delegation().allowedOrigins()).containsExactly("https://shop.example.com");
        assertThat(firstRole(config).federation()).as("explicit federation wins").isEqualTo(RoleGrant.Federation.WEB_IDENTITY);
    }

    @Test
    void jksKeyStore_withAlias() throws Exception {
        KeyPair pair = SamlTestKeys.rsa2048();
        Path jks = SamlTestKeys.write(dir.resolve("saml.jks"), "JKS", "signing", pair, SamlTestKeys.certificate(pair, "IdP"));

        DelegationConfig config = parse(saml("").replace("path: " + keyStore, "path: " + jks + "\n    type: JKS\n    alias: signing"),
                SAML_ROLE);

        assertThat(config.saml().signingKey().certificate().getSubjectX500Principal().getName()).isEqualTo("CN=IdP");
    }

    @Test
    @DisplayName("rotationAlias publishes a second certificate from the same keystore")
    void rotationCertificate() throws Exception {
        KeyPair current = SamlTestKeys.rsa2048();
        KeyPair next = SamlTestKeys.otherRsa2048();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("current", current.getPrivate(), SamlTestKeys.PASSWORD.toCharArray(),
                new Certificate[] {SamlTestKeys.certificate(current, "current")});
        store.setCertificateEntry("next", SamlTestKeys.certificate(next, "next"));
        Path file = dir.resolve("rotation.p12");
        try (var out = java.nio.file.Files.newOutputStream(file)) {
            store.store(out, SamlTestKeys.PASSWORD.toCharArray());
        }

        DelegationConfig config = parse(saml("").replace("path: " + keyStore, "path: " + file + "\n    alias: current\n"
                + "    rotationAlias: next"), SAML_ROLE);

        assertThat(config.saml().signingKey().rotationCertificates()).singleElement()
                .satisfies(c -> assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=next"));
    }

    @Test
    void keyStore_missing_failsNamingThePath() {
        assertThatThrownBy(() -> parse(saml("").replace(keyStore.toString(), dir.resolve("nope.p12").toString()), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.keyStore.path")
                .hasMessageContaining("no keystore at");
    }

    @Test
    void keyStore_wrongPassword_failsNamingThePassword() {
        assertThatThrownBy(() -> DelegationConfigLoader.withVariables(Map.of("SAML_KEYSTORE_PASSWORD", "wrong")).parse("""
                oidc: {issuer: 'https://example.eu.auth0.com/', clientId: pet-shop}
                sts: {region: eu-west-1}
                %s
                rules: [{id: a, roles: [{arn: 'arn:aws:iam::123456789012:role/a'}]}]
                """.formatted(saml(""))))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.keyStore.password")
                .hasMessageContaining("password is wrong")
                .hasMessageNotContaining("wrong\"");
    }

    @Test
    void keyStore_unknownAlias_failsNamingTheAlias() {
        assertThatThrownBy(() -> parse(saml("").replace("password:", "alias: nope\n    password:"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.keyStore.alias")
                .hasMessageContaining("no private key under alias 'nope'")
                .hasMessageContaining("saml-signing");
    }

    @Test
    @DisplayName("a 1024-bit key fails the deployment: too weak")
    void keyStore_weakKey_fails() {
        KeyPair weak = SamlTestKeys.generate("RSA", 1024);
        Path file = SamlTestKeys.writePkcs12(dir.resolve("weak.p12"), "weak", weak, SamlTestKeys.certificate(weak, "weak"));

        assertThatThrownBy(() -> parse(saml("").replace(keyStore.toString(), file.toString()), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.keyStore.alias")
                .hasMessageContaining("1024-bit RSA key, which is too weak");
    }

    @Test
    void entityId_missingOrRelative_fails() {
        assertThatThrownBy(() -> parse(saml("").replace("entityId: https://shop.example.com/saml", "entityId: shop"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.entityId")
                .hasMessageContaining("absolute URI");
    }

    @Test
    void attributes_awsOwnName_fails() {
        assertThatThrownBy(() -> parse(saml("attributes:\n  https://aws.amazon.com/SAML/Attributes/Role: groups"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.attributes")
                .hasMessageContaining("one of AWS's own");
    }

    @Test
    void transitiveTagKeys_notATag_fails() {
        assertThatThrownBy(() -> parse(saml("principalTags: {team: claim.team}\ntransitiveTagKeys: [cost-center]"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.transitiveTagKeys");
    }

    @Test
    @DisplayName("console.signInUrl: by default none (AWS's sign-in endpoint); a loopback stand-in or an https URL; plain http elsewhere fails naming the key")
    void consoleSignInUrl_defaultLoopbackOrHttps() {
        assertThat(parse(saml(""), SAML_ROLE).samlEndpoints().consoleSignInUrl()).isNull();
        assertThat(parse(saml("console:\n  signInUrl: http://127.0.0.1:4567/saml\n"), SAML_ROLE).samlEndpoints().consoleSignInUrl())
                .hasToString("http://127.0.0.1:4567/saml");
        assertThat(parse(saml("console:\n  signInUrl: https://signin.example.net/saml\n"), SAML_ROLE).samlEndpoints()
                .consoleSignInUrl()).hasToString("https://signin.example.net/saml");
        assertThatThrownBy(() -> parse(saml("console:\n  signInUrl: http://signin.example.net/saml\n"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.console.signInUrl")
                .hasMessageContaining("plain http only on a loopback host");
        assertThatThrownBy(() -> parse(saml("console:\n  signInUrl: signin\n"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.console.signInUrl");
    }

    @Test
    void signInRegion_unknownOrOtherPartition_fails() {
        assertThatThrownBy(() -> parse(saml("signInRegion: eu-west-9"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.signInRegion");
        assertThatThrownBy(() -> parse(saml("signInRegion: cn-north-1"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.signInRegion");
    }

    @Test
    @DisplayName("account ids may be written unquoted, leading zero included; anything but 12 digits fails")
    void accountAliases() {
        assertThat(parse(saml("accountAliases:\n  012345678901: prod\n  123456789012: dev"), SAML_ROLE).samlEndpoints()
                .accountAliases()).containsEntry("012345678901", "prod").containsEntry("123456789012", "dev");
        assertThatThrownBy(() -> parse(saml("accountAliases:\n  12345: prod"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.accountAliases.12345")
                .hasMessageContaining("not a 12-digit account id");
        assertThatThrownBy(() -> parse(saml("accountAliases:\n  '123456789012': Prod_Account"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("not an account alias");
    }

    @Test
    void delegation_wildcardOrigin_fails() {
        assertThatThrownBy(() -> parse(saml("delegation:\n  allowedOrigins: ['*']"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.delegation.allowedOrigins");
    }

    @Test
    void delegation_malformedOrigin_failsNamingTheKey() {
        assertThatThrownBy(() -> parse(saml("delegation:\n  allowedOrigins: ['https://shop example.com']"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.delegation.allowedOrigins")
                .hasMessageContaining("is not an origin");
    }

    @Test
    void unknownKey_inSaml_fails() {
        assertThatThrownBy(() -> parse(saml("entityID: typo"), SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "saml.entityID")
                .hasMessageContaining("unknown key");
    }

    @Test
    @DisplayName("federation: saml without a saml section fails the deployment naming the role's federation key")
    void samlRole_withoutSamlSection_fails() {
        assertThatThrownBy(() -> parse("", SAML_ROLE))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "rules[0].roles[0].federation")
                .hasMessageContaining("needs the saml section");
        assertThat(firstRole(parse("", SAML_ROLE + "  federation: web-identity\n")).federation())
                .isEqualTo(RoleGrant.Federation.WEB_IDENTITY);
    }

    @Test
    void samlRole_principalProblems_failNamingThePrincipal() {
        assertThatThrownBy(() -> parse(saml(""), "- arn: arn:aws:iam::123456789012:role/admin\n  federation: saml\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "rules[0].roles[0].principal")
                .hasMessageContaining("principal is missing");
        assertThatThrownBy(() -> parse(saml(""), "- arn: arn:aws:iam::123456789012:role/admin\n"
                + "  principal: arn:aws:iam::999999999999:saml-provider/pet-shop\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "rules[0].roles[0].principal")
                .hasMessageContaining("not in the role's partition and account");
        assertThatThrownBy(() -> parse(saml(""), "- arn: arn:aws:iam::123456789012:role/admin\n  federation: saml\n"
                + "  principal: arn:aws:iam::123456789012:oidc-provider/example.eu.auth0.com\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "rules[0].roles[0].principal")
                .hasMessageContaining("is an OIDC provider");
        assertThatThrownBy(() -> parse(saml(""), SAML_ROLE + "  federation: saml2\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "rules[0].roles[0].federation")
                .hasMessageContaining("unknown federation 'saml2'");
    }

    @Test
    @DisplayName("roles of other partitions need a region of their own partition; a region of another partition fails")
    void partitions() {
        String cnRole = "- arn: arn:aws-cn:iam::123456789012:role/admin\n  principal: arn:aws-cn:iam::123456789012:saml-provider/p\n";

        assertThatThrownBy(() -> parse(saml(""), cnRole))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "rules[0].roles[0].region")
                .hasMessageContaining("partition aws-cn").hasMessageContaining("region: cn-north-1");
        assertThatThrownBy(() -> parse(saml(""), cnRole + "  region: eu-west-1\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasFieldOrPropertyWithValue("key", "rules[0].roles[0].region")
                .hasMessageContaining("not in the role's partition aws-cn");
        assertThat(firstRole(parse(saml(""), cnRole + "  region: cn-northwest-1\n")).regionName()).hasValue("cn-northwest-1");
    }

    @Test
    void toString_hidesTheKey() {
        DelegationConfig config = parse(saml(""), SAML_ROLE);

        assertThat(config.saml().toString()).contains("https://shop.example.com/saml", "RSA 2048 bits")
                .doesNotContain(SamlTestKeys.PASSWORD, "PRIVATE");
        assertThat(List.of(config.saml().signingKey().toString())).noneMatch(s -> s.contains("modulus"));
    }
}

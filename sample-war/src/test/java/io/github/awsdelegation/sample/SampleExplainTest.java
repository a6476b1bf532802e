package io.github.awsdelegation.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.explain.Explanation;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.role.RuleExplanation;
import io.github.awsdelegation.testkit.SigningKeyStores;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Why does this user get this role?" over the WAR's own {@code WEB-INF/aws-delegation.yaml}: the real rules and
 * session policies, explained for claims without calling anything (the issuer and STS here do not exist).
 */
class SampleExplainTest {

    private static final Path CONFIG = Path.of("src/main/webapp/WEB-INF/aws-delegation.yaml");

    @TempDir
    Path work;

    DelegationService service;

    @BeforeEach
    void load() {
        service = DelegationService.create(DelegationConfigLoader.withVariables(Map.of(
                "AWS_DELEGATION_ISSUER", "https://pet-shop.eu.auth0.com/",
                "AWS_DELEGATION_STS_ENDPOINT", "http://127.0.0.1:9/",
                "PET_SHOP_SAML_KEYSTORE", SigningKeyStores.writePkcs12(work.resolve("saml.p12"), "saml", "demo-only",
                        "pet-shop test").toString(),
                "PET_SHOP_SAML_KEYSTORE_PASSWORD", "demo-only")).load(CONFIG));
    }

    @AfterEach
    void close() {
        service.close();
    }

    Explanation explain(String sub, String role) {
        return service.explainer().explainClaims(Map.of("sub", sub, "email", "x@example.com", "email_verified", true), role);
    }

    @Test
    @DisplayName("a buyer (Amazon): social-buyers decides, database-admins says why not; the own-folder policy is rendered")
    void buyer() {
        Explanation e = explain("amazon|amzn1.account.B", null);

        assertThat(e.granted()).isTrue();
        assertThat(e.rules()).extracting(RuleExplanation::ruleId, RuleExplanation::matched)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("social-buyers", true),
                        org.assertj.core.groups.Tuple.tuple("database-admins", false));
        assertThat(e.rules().get(1).conditions()).containsExactly(
                new RuleExplanation.Condition(false, "connection type is social, not database"));
        assertThat(e.decision().role().roleName()).isEqualTo("pet-shop-buyer");
        assertThat(e.session().sessionPolicy()).contains("\"Resource\":\"arn:aws:s3:::pet-shop/amazon|amzn1.account.B/*\"");
        assertThat(e.session().roleSessionName()).startsWith("amazon-amzn1.account.B-");
        assertThat(e.session().federation()).isEqualTo("web-identity");
        assertThat(e.session().duration()).isEqualTo(service.config().sts().sessionDuration());
        assertThat(e.session().size().policyLength()).isEqualTo(e.session().sessionPolicy().length()).isLessThan(2048);
        assertThat(e.session().size().estimatedPackedPercent()).isBetween(1, 89);
        assertThat(e.warnings()).isEmpty();
    }

    @Test
    @DisplayName("an admin (database): database-admins decides, with the admin role by default and three permitted")
    void admin() {
        Explanation e = explain("auth0|42", null);

        assertThat(e.rules().get(0).conditions()).containsExactly(
                new RuleExplanation.Condition(false, "connection type is database, not social"));
        assertThat(e.decision().ruleId()).isEqualTo("database-admins");
        assertThat(e.decision().reason()).isEqualTo("connection type is database");
        assertThat(e.decision().permitted()).extracting(RoleGrant::roleName)
                .containsExactly("pet-shop-admin", "pet-shop-buyer", "pet-shop-console");
        assertThat(e.toJson()).contains("\"decides\":true", "\"roleArn\":\"arn:aws:iam::123456789012:role/pet-shop-admin\"");
    }

    @Test
    @DisplayName("an unknown connection: no rule matches, each says why, and the refusal is the user's 403 message")
    void unknownConnection() {
        Explanation e = explain("custom|stranger", null);

        assertThat(e.granted()).isFalse();
        assertThat(e.rules()).allSatisfy(r -> assertThat(r.matched()).isFalse());
        assertThat(e.refusal()).startsWith("no role rule matches this user (connection type unknown");
        assertThat(e.toText()).contains("1. social-buyers: did not match", "[no]  connection type is unknown, not social",
                "Refused: no role rule matches this user");
    }

    @Test
    @DisplayName("a requested role the deciding rule does not permit is refused, naming the rule and what it permits")
    void requestedRoleRefused() {
        Explanation e = explain("amazon|amzn1.account.B", "pet-shop-admin");

        assertThat(e.granted()).isFalse();
        assertThat(e.requestedRole()).isEqualTo("pet-shop-admin");
        assertThat(e.refusal()).isEqualTo("role 'pet-shop-admin' is not permitted for this user; rule 'social-buyers' "
                + "(connection type is social) permits: pet-shop-buyer, pet-shop-console");
        assertThat(e.rules().get(0).matched()).isTrue();

        Explanation console = explain("amazon|amzn1.account.B", "pet-shop-console");
        assertThat(console.decision().requested()).isTrue();
        assertThat(console.session().principalArn()).isEqualTo("arn:aws:iam::123456789012:saml-provider/pet-shop");
        assertThat(console.session().federation()).isEqualTo("saml");
    }

    @Test
    @DisplayName("a rule in code, contributed at run time: its match and reason, and that it explains no conditions")
    void ruleInCode() {
        RoleGrant reports = RoleGrant.of("arn:aws:iam::123456789012:role/pet-shop-reports");
        service.decider().addRules(List.of(new RoleRule() {
            @Override
            public String id() {
                return "enterprise-reports";
            }

            @Override
            public Optional<RuleMatch> match(VerifiedIdentity identity) {
                return identity.subject().startsWith("samlp|") ? Optional.of(new RuleMatch(List.of(reports), "a SAML user"))
                        : Optional.empty();
            }

            @Override
            public List<RoleGrant> grants() {
                return List.of(reports);
            }
        }));

        Explanation e = explain("samlp|acme|jo", null);

        assertThat(e.decision().ruleId()).isEqualTo("enterprise-reports");
        RuleExplanation code = e.rules().get(2);
        assertThat(code.conditions()).isEmpty();
        assertThat(code.note()).contains("a rule in code", "it explains no conditions, its match says: a SAML user");
        assertThat(e.warnings()).contains("rules in code explain no conditions unless they override RoleRule.explain");
    }
}

package io.github.awsdelegation.role;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.Identities;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A declarative rule explains every condition, held or not, and always agrees with its match. */
class RuleExplanationTest {

    static final RoleGrant OPS = RoleGrant.of("arn:aws:iam::123456789012:role/ops");

    static final DeclarativeRule RULE = DeclarativeRule.builder("ops")
            .connectionTypes(ConnectionType.DATABASE)
            .groups("admins", "ops")
            .emailDomains("example.com")
            .claim("dept", DeclarativeRule.ClaimOperator.EQUALS, "ops")
            .grant(OPS).build();

    static List<RuleExplanation.Condition> conditions(VerifiedIdentity identity) {
        return RULE.explain(identity).conditions();
    }

    @Test
    @DisplayName("every condition failing: each says what the user has instead of what it needs")
    void allFail() {
        VerifiedIdentity social = Identities.withClaims("amazon|1", ConnectionType.SOCIAL,
                Map.of("sub", "amazon|1", "email", "a@other.org", "email_verified", true, "dept", "sales"));

        RuleExplanation e = RULE.explain(social);

        assertThat(e.matched()).isFalse();
        assertThat(e.conditions()).extracting(RuleExplanation.Condition::description).containsExactly(
                "connection type is social, not database",
                "groups [] include none of [admins, ops]",
                "verified email domain is other.org, not example.com",
                "claim dept equals 'ops' does not hold (dept is 'sales')");
        assertThat(e.conditions()).noneMatch(RuleExplanation.Condition::held);
        assertThat(RULE.match(social)).isEmpty();
    }

    @Test
    @DisplayName("every condition holding: the match's reason is the held conditions, as before")
    void allHold() {
        VerifiedIdentity admin = new VerifiedIdentity(Identities.ISSUER, "auth0|1", ConnectionType.DATABASE, "db",
                List.of("ops"), "a@example.com", java.time.Instant.now().plusSeconds(60),
                Map.of("sub", "auth0|1", "email", "a@example.com", "email_verified", true, "dept", "ops"));

        RuleExplanation e = RULE.explain(admin);

        assertThat(e.matched()).isTrue();
        assertThat(e.conditions()).allMatch(RuleExplanation.Condition::held);
        assertThat(RULE.match(admin).orElseThrow().reason()).isEqualTo(
                "connection type is database, member of group ops, verified email domain is example.com, claim dept equals 'ops'");
    }

    @Test
    @DisplayName("an unverified email address: no verified address, whatever its domain")
    void unverifiedEmail() {
        VerifiedIdentity unverified = Identities.withClaims("auth0|2", ConnectionType.DATABASE,
                Map.of("sub", "auth0|2", "email", "a@example.com", "email_verified", false));

        assertThat(conditions(unverified)).contains(
                new RuleExplanation.Condition(false, "no verified email address (email domain must be example.com)"));
    }

    @Test
    @DisplayName("RoleRules.explain: every rule, also after the deciding one, and the decision decide would make, quietly")
    void rulesExplain() {
        RoleRules rules = RoleRules.of(List.of(
                DeclarativeRule.builder("social").connectionTypes(ConnectionType.SOCIAL).grant(OPS).build(), RULE));

        RoleExplanation e = rules.explain(Identities.social("amazon|3"), null);

        assertThat(e.rules()).extracting(RuleExplanation::ruleId, RuleExplanation::matched)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("social", true), org.assertj.core.groups.Tuple.tuple("ops", false));
        assertThat(e.decision()).isEqualTo(rules.decide(Identities.social("amazon|3"), null));
        RoleExplanation refused = rules.explain(Identities.social("amazon|3"), "admin");
        assertThat(refused.decision()).isNull();
        assertThat(refused.refusal()).startsWith("role 'admin' is not permitted for this user; rule 'social'");
    }
}

package io.github.awsdelegation.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.Identities;
import io.github.awsdelegation.role.DeclarativeRule.ClaimOperator;
import io.github.awsdelegation.token.ConnectionType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RoleRulesTest {

    static final RoleGrant BUYER = RoleGrant.of("arn:aws:iam::123456789012:role/pet-shop-buyer");
    static final RoleGrant ADMIN = RoleGrant.of("arn:aws:iam::123456789012:role/pet-shop-admin");
    static final RoleGrant READER = RoleGrant.of("arn:aws:iam::123456789012:role/reports/pet-shop-reader");

    // The seed's rules: social users buy, database users administer (and may also act as buyers).
    final RoleRules seed = RoleRules.of(List.of(
            DeclarativeRule.builder("social-buyers").connectionTypes(ConnectionType.SOCIAL).grant(BUYER).build(),
            DeclarativeRule.builder("database-admins").connectionTypes(ConnectionType.DATABASE).grant(ADMIN).grant(BUYER).build()));

    @Test
    @DisplayName("a social user gets the buyer role, and the decision says which rule and why")
    void decide_socialUser_buyer() {
        RoleDecision decision = seed.decide(Identities.social("amazon|1"), null);

        assertThat(decision.role()).isEqualTo(BUYER);
        assertThat(decision.ruleId()).isEqualTo("social-buyers");
        assertThat(decision.reason()).isEqualTo("connection type is social");
        assertThat(decision.requested()).isFalse();
    }

    @Test
    @DisplayName("a database user gets the admin role by default")
    void decide_databaseUser_admin() {
        RoleDecision decision = seed.decide(Identities.database("auth0|1", List.of()), null);

        assertThat(decision.role()).isEqualTo(ADMIN);
        assertThat(decision.permitted()).containsExactly(ADMIN, BUYER);
        assertThat(decision.ruleId()).isEqualTo("database-admins");
    }

    @Test
    @DisplayName("a permitted role requested by name or by ARN is granted")
    void decide_permittedRequest_granted() {
        var admin = Identities.database("auth0|1", List.of());

        assertThat(seed.decide(admin, "pet-shop-buyer").role()).isEqualTo(BUYER);
        assertThat(seed.decide(admin, "PET-SHOP-BUYER").role()).isEqualTo(BUYER);
        assertThat(seed.decide(admin, BUYER.roleArn()).role()).isEqualTo(BUYER);
        assertThat(seed.decide(admin, BUYER.roleArn()).requested()).isTrue();
    }

    @Test
    @DisplayName("a social user requesting the admin role is refused, by name and by ARN")
    void decide_escalation_denied() {
        var buyer = Identities.social("amazon|1");

        assertThatThrownBy(() -> seed.decide(buyer, "pet-shop-admin"))
                .isInstanceOf(RoleDeniedException.class)
                .hasMessageContaining("role 'pet-shop-admin' is not permitted")
                .hasMessageContaining("rule 'social-buyers'")
                .hasMessageContaining("permits: pet-shop-buyer");
        assertThatThrownBy(() -> seed.decide(buyer, ADMIN.roleArn())).isInstanceOf(RoleDeniedException.class);
        // An ARN naming the same role name in another account is not the permitted role.
        assertThatThrownBy(() -> seed.decide(buyer, "arn:aws:iam::999999999999:role/pet-shop-buyer"))
                .isInstanceOf(RoleDeniedException.class);
    }

    @Test
    @DisplayName("a user no rule matches gets no role at all")
    void decide_noRuleMatches_denied() {
        var enterprise = Identities.withClaims("samlp|x", ConnectionType.ENTERPRISE, Map.of());

        assertThatThrownBy(() -> seed.decide(enterprise, null))
                .isInstanceOf(RoleDeniedException.class)
                .hasMessageContaining("no role rule matches this user (connection type enterprise");
    }

    @Test
    @DisplayName("the first matching rule wins, even when a later rule would grant more")
    void decide_firstMatchWins() {
        RoleRules rules = RoleRules.of(List.of(
                DeclarativeRule.builder("admins-group").groups("pet-admins").grant(ADMIN).build(),
                DeclarativeRule.builder("everyone-db").connectionTypes(ConnectionType.DATABASE).grant(READER).build()));

        assertThat(rules.decide(Identities.database("auth0|a", List.of("pet-admins")), null).ruleId()).isEqualTo("admins-group");
        assertThat(rules.decide(Identities.database("auth0|b", List.of("staff")), null).role()).isEqualTo(READER);
        assertThatThrownBy(() -> rules.decide(Identities.database("auth0|b", List.of("staff")), "pet-shop-admin"))
                .isInstanceOf(RoleDeniedException.class);
    }

    @Test
    @DisplayName("claim conditions compare by equals, prefix and regex, also inside arrays; all conditions must hold")
    void claimConditions() {
        var rule = DeclarativeRule.builder("claims")
                .claim("department", ClaimOperator.EQUALS, "sales")
                .claim("employee_id", ClaimOperator.PREFIX, "E-")
                .claim("roles", ClaimOperator.REGEX, "pets-(admin|owner)")
                .grant(ADMIN).build();

        var matching = Identities.withClaims("x|1", ConnectionType.ENTERPRISE,
                Map.of("department", "sales", "employee_id", "E-42", "roles", List.of("viewer", "pets-owner")));
        var partial = Identities.withClaims("x|2", ConnectionType.ENTERPRISE,
                Map.of("department", "sales", "employee_id", "E-42", "roles", List.of("pets-owners")));

        assertThat(rule.match(matching)).map(RoleRule.RuleMatch::reason).hasValueSatisfying(reason -> assertThat(reason)
                .contains("claim department equals 'sales'", "claim roles regex 'pets-(admin|owner)'"));
        assertThat(rule.match(partial)).isEmpty();
    }

    @Test
    @DisplayName("an email domain condition needs a verified address")
    void emailDomain_requiresVerified() {
        var rule = DeclarativeRule.builder("staff").emailDomains("Example.COM").grant(ADMIN).build();

        var verified = Identities.withClaims("x|1", ConnectionType.SOCIAL, Map.of("email", "ann@example.com", "email_verified", true));
        var unverified = Identities.withClaims("x|2", ConnectionType.SOCIAL, Map.of("email", "ann@example.com", "email_verified", false));
        var otherDomain = Identities.withClaims("x|3", ConnectionType.SOCIAL, Map.of("email", "ann@example.com.evil", "email_verified", true));

        assertThat(rule.match(verified)).isPresent();
        assertThat(rule.match(unverified)).isEmpty();
        assertThat(rule.match(otherDomain)).isEmpty();
    }

    @Test
    @DisplayName("a rule written in code takes part in the order like any other")
    void codeRule_takesPart() {
        RoleRule vip = new RoleRule() {
            @Override
            public String id() {
                return "vip-code-rule";
            }

            @Override
            public Optional<RuleMatch> match(io.github.awsdelegation.token.VerifiedIdentity identity) {
                return identity.subject().endsWith("vip") ? Optional.of(new RuleMatch(List.of(ADMIN), "subject is a VIP"))
                        : Optional.empty();
            }
        };
        RoleRules rules = RoleRules.of(List.of(vip, seed.rules().get(0)));

        assertThat(rules.decide(Identities.social("amazon|vip"), null).role()).isEqualTo(ADMIN);
        assertThat(rules.decide(Identities.social("amazon|regular"), null).role()).isEqualTo(BUYER);
    }

    @Test
    void roleGrant_rejectsWhatIsNotARoleArn() {
        assertThatThrownBy(() -> RoleGrant.of("arn:aws:iam::123:role/x")).hasMessageContaining("is not an IAM role ARN");
        assertThatThrownBy(() -> RoleGrant.of("arn:aws:iam::123456789012:user/x")).hasMessageContaining("is not an IAM role ARN");
        assertThat(READER.roleName()).isEqualTo("pet-shop-reader");
        assertThat(READER.accountId()).isEqualTo("123456789012");
        assertThat(RoleGrant.of("arn:aws-cn:iam::123456789012:role/r").partition()).isEqualTo("aws-cn");
    }
}

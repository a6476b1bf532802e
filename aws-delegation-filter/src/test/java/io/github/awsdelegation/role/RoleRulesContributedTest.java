package io.github.awsdelegation.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.Identities;
import io.github.awsdelegation.role.internal.RulePlaceholder;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rules contributed at run time (CDI rule beans) and where they go among the configured ones. */
class RoleRulesContributedTest {

    static final String BUYER = "arn:aws:iam::123456789012:role/pet-shop-buyer";
    static final String ADMIN = "arn:aws:iam::123456789012:role/pet-shop-admin";

    final RoleRule socialBuyers = DeclarativeRule.builder("social-buyers").connectionTypes(ConnectionType.SOCIAL)
            .grant(RoleGrant.of(BUYER)).build();

    /** A rule written in code: VIP customers (claim vip = true) get the admin role. */
    static RoleRule vip(String id) {
        return new RoleRule() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Optional<RuleMatch> match(VerifiedIdentity identity) {
                return Boolean.TRUE.equals(identity.claims().get("vip"))
                        ? Optional.of(new RuleMatch(List.of(RoleGrant.of(ADMIN)), "a VIP customer"))
                        : Optional.empty();
            }
        };
    }

    static VerifiedIdentity vipSocialUser() {
        return Identities.withClaims("amazon|vip", ConnectionType.SOCIAL, Map.of("sub", "amazon|vip", "vip", true));
    }

    @Test
    @DisplayName("a contributed rule takes its placeholder's position, before the configured rules that follow it")
    void with_fillsPlaceholder() {
        RoleRules rules = RoleRules.of(List.of(new RulePlaceholder("vip"), socialBuyers)).with(List.of(vip("vip")));

        assertThat(rules.rules()).extracting(RoleRule::id).containsExactly("vip", "social-buyers");
        assertThat(rules.unfilledPlaceholders()).isEmpty();
        assertThat(rules.decide(vipSocialUser(), null).ruleId()).isEqualTo("vip");
        assertThat(rules.decide(Identities.social("amazon|plain"), null).ruleId()).isEqualTo("social-buyers");
    }

    @Test
    @DisplayName("contributed rules without a placeholder follow the configured rules, in the order given")
    void with_appends() {
        RoleRules rules = RoleRules.of(List.of(socialBuyers)).with(List.of(vip("vip-2"), vip("vip-1")));

        assertThat(rules.rules()).extracting(RoleRule::id).containsExactly("social-buyers", "vip-2", "vip-1");
        assertThat(rules.decide(vipSocialUser(), null).ruleId()).isEqualTo("social-buyers");
    }

    @Test
    @DisplayName("an unfilled placeholder is listed, and refuses to decide rather than let a later rule grant a role")
    void placeholder_unfilled() {
        RoleRules rules = RoleRules.of(List.of(new RulePlaceholder("vip"), socialBuyers));

        assertThat(rules.unfilledPlaceholders()).containsExactly("vip");
        assertThatThrownBy(() -> rules.decide(Identities.social("amazon|plain"), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the configuration places rule 'vip' (bean: vip) but no rule with this id was contributed");
    }

    @Test
    @DisplayName("a contributed rule may not reuse a configured rule's id, nor another contributed rule's")
    void with_duplicateIds() {
        RoleRules rules = RoleRules.of(List.of(socialBuyers));

        assertThatThrownBy(() -> rules.with(List.of(vip("social-buyers"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'social-buyers' of a rule that is already configured");
        assertThatThrownBy(() -> rules.with(List.of(vip("vip"), vip("vip"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two contributed rules have the id 'vip'");
    }

    @Test
    @DisplayName("a refused role request names the deciding rule in the exception")
    void decide_refusalNamesRule() {
        RoleRules rules = RoleRules.of(List.of(socialBuyers));

        assertThatThrownBy(() -> rules.decide(Identities.social("amazon|plain"), "pet-shop-admin"))
                .isInstanceOfSatisfying(RoleDeniedException.class,
                        e -> assertThat(e.ruleId()).contains("social-buyers"));
    }
}

package io.github.awsdelegation.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How code names a role ({@code @RequiresAwsRole}, {@code hasRole}) resolves to one role ARN among the configured grants. */
class RoleRulesRoleNamesTest {

    static final String PROD_ADMIN = "arn:aws:iam::123456789012:role/pet-shop-admin";
    static final String SANDBOX_ADMIN = "arn:aws:iam::210987654321:role/pet-shop-admin";
    static final String BUYER = "arn:aws:iam::123456789012:role/pet-shop-buyer";

    static DeclarativeRule rule(String id, String... arns) {
        DeclarativeRule.Builder b = DeclarativeRule.builder(id).connectionTypes(ConnectionType.DATABASE);
        for (String arn : arns) {
            b.grant(RoleGrant.of(arn));
        }
        return b.build();
    }

    @Test
    @DisplayName("a name that one configured role has resolves to its ARN, without regard to case; an ARN stands for itself")
    void roleArnOf_unambiguous() {
        RoleRules rules = RoleRules.of(List.of(rule("admins", PROD_ADMIN, BUYER), rule("buyers", BUYER)));

        assertThat(rules.roleArnOf("pet-shop-admin")).isEqualTo(PROD_ADMIN);
        assertThat(rules.roleArnOf("PET-SHOP-ADMIN")).isEqualTo(PROD_ADMIN);
        assertThat(rules.roleArnOf("pet-shop-buyer")).as("the same grant in two rules is one role").isEqualTo(BUYER);
        assertThat(rules.roleArnOf(SANDBOX_ADMIN)).isEqualTo(SANDBOX_ADMIN);
    }

    @Test
    @DisplayName("a name two accounts' roles share is refused, listing both ARNs and saying to write the ARN")
    void roleArnOf_sameNameInTwoAccounts_refused() {
        RoleRules rules = RoleRules.of(List.of(rule("admins", PROD_ADMIN), rule("testers", SANDBOX_ADMIN)));

        assertThatThrownBy(() -> rules.roleArnOf("pet-shop-admin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("role name 'pet-shop-admin' is ambiguous")
                .hasMessageContaining(PROD_ADMIN).hasMessageContaining(SANDBOX_ADMIN)
                .hasMessageContaining("write the ARN");
    }

    @Test
    @DisplayName("a name no configured role has is refused: it could only be matched by name, which proves nothing")
    void roleArnOf_unknownName_refused() {
        RoleRules rules = RoleRules.of(List.of(rule("admins", PROD_ADMIN)));

        assertThatThrownBy(() -> rules.roleArnOf("pet-shop-reports"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names none of the roles the rules declare")
                .hasMessageContaining("write the role's ARN");
    }

    @Test
    @DisplayName("a rule in code declares its grants through grants(); one that does not is invisible to the check, so its "
            + "same-named role of another account is not the configured one")
    void roleArnOf_codeRules() {
        RoleRule declaring = new RoleRule() {
            @Override
            public String id() {
                return "declaring";
            }

            @Override
            public Optional<RuleMatch> match(VerifiedIdentity identity) {
                return Optional.empty();
            }

            @Override
            public List<RoleGrant> grants() {
                return List.of(RoleGrant.of(SANDBOX_ADMIN));
            }
        };
        RoleRule opaque = new RoleRule() {
            @Override
            public String id() {
                return "opaque";
            }

            @Override
            public Optional<RuleMatch> match(VerifiedIdentity identity) {
                return Optional.of(new RuleMatch(List.of(RoleGrant.of(SANDBOX_ADMIN)), "anyone"));
            }
        };

        assertThat(RoleRules.of(List.of(rule("admins", PROD_ADMIN), opaque)).roleArnOf("pet-shop-admin")).isEqualTo(PROD_ADMIN);
        assertThatThrownBy(() -> RoleRules.of(List.of(rule("admins", PROD_ADMIN), declaring)).roleArnOf("pet-shop-admin"))
                .hasMessageContaining("ambiguous");
    }
}

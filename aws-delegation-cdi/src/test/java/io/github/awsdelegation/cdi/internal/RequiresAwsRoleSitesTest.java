package io.github.awsdelegation.cdi.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRules;
import io.github.awsdelegation.token.ConnectionType;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The start-up check of the roles {@code @RequiresAwsRole} names against the configured rules. */
class RequiresAwsRoleSitesTest {

    static final String PROD_ADMIN = "arn:aws:iam::123456789012:role/pet-shop-admin";
    static final String SANDBOX_ADMIN = "arn:aws:iam::210987654321:role/pet-shop-admin";

    static final RoleRules PROD_AND_SANDBOX = RoleRules.of(List.of(
            DeclarativeRule.builder("admins").connectionTypes(ConnectionType.DATABASE).grant(RoleGrant.of(PROD_ADMIN)).build(),
            DeclarativeRule.builder("testers").connectionTypes(ConnectionType.SOCIAL).grant(RoleGrant.of(SANDBOX_ADMIN)).build()));

    @Test
    @DisplayName("a role name two accounts' configured roles share fails the deployment, naming the annotation, both ARNs and the fix")
    void check_ambiguousName_failsDeployment() {
        assertThatThrownBy(() -> RequiresAwsRoleSites.check(List.of(
                new RequiresAwsRoleSites.Site("PetCatalogue.removePet", List.of("pet-shop-admin"))), PROD_AND_SANDBOX))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("@RequiresAwsRole: on PetCatalogue.removePet: role name 'pet-shop-admin' is ambiguous")
                .hasMessageContaining(PROD_ADMIN).hasMessageContaining(SANDBOX_ADMIN)
                .hasMessageContaining("write the ARN of the one meant");
    }

    @Test
    @DisplayName("the ARN, or a name only one configured role has, passes")
    void check_arnOrUnambiguousName_passes() {
        RoleRules prodOnly = RoleRules.of(List.of(
                DeclarativeRule.builder("admins").connectionTypes(ConnectionType.DATABASE).grant(RoleGrant.of(PROD_ADMIN)).build()));

        assertThatCode(() -> RequiresAwsRoleSites.check(List.of(
                new RequiresAwsRoleSites.Site("PetCatalogue.removePet", List.of(PROD_ADMIN))), PROD_AND_SANDBOX))
                .doesNotThrowAnyException();
        assertThatCode(() -> RequiresAwsRoleSites.check(List.of(
                new RequiresAwsRoleSites.Site("PetCatalogue.removePet", List.of("pet-shop-admin"))), prodOnly))
                .doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a name no configured role has, or no role at all, fails the deployment")
    void check_unknownOrEmpty_failsDeployment() {
        assertThatThrownBy(() -> RequiresAwsRoleSites.check(List.of(
                new RequiresAwsRoleSites.Site("OrderDesk", List.of("pet-shop-reports"))), PROD_AND_SANDBOX))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("@RequiresAwsRole: on OrderDesk: role name 'pet-shop-reports' names none");
        assertThatThrownBy(() -> RequiresAwsRoleSites.check(List.of(new RequiresAwsRoleSites.Site("OrderDesk", List.of())),
                PROD_AND_SANDBOX))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("names no role");
    }
}

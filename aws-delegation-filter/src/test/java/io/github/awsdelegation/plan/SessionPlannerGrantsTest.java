package io.github.awsdelegation.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.Identities;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.OidcSettings;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleScope;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * Grants are constants: the per-(rule, grant) templates the planner keeps are bounded, and a grant that a rule in code
 * built from the user's identifying values is refused before anything reaches STS.
 */
class SessionPlannerGrantsTest {

    static final String BUYER = "arn:aws:iam::123456789012:role/pet-shop-buyer";

    final DelegationService service = DelegationService.create(DelegationConfig.builder()
            .oidc(OidcSettings.of(URI.create(Identities.ISSUER), "pet-shop"))
            .sts(StsSettings.builder().region(Region.US_EAST_1).build())
            .rules(List.of(DeclarativeRule.builder("everyone").connectionTypes(ConnectionType.SOCIAL)
                    .grant(RoleGrant.of(BUYER)).build()))
            .build());

    @AfterEach
    void close() {
        service.close();
    }

    static RoleGrant policyGrant(String policy) {
        return RoleGrant.builder(BUYER).sessionPolicy(policy).build();
    }

    @Test
    @DisplayName("a grant whose session policy a rule in code built from the user's sub is refused, naming the key, the "
            + "claim and the variable to use, never the value")
    void scopeFor_subInSessionPolicy_refused() {
        VerifiedIdentity user = Identities.social("amazon|7\"},{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*");
        String built = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/"
                + user.subject() + "/*\"}}";

        assertThatThrownBy(() -> service.planner().scopeFor("per-user", policyGrant(built), user))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("rules[per-user].roles[pet-shop-buyer].sessionPolicy: rule 'per-user' built a grant "
                        + "whose sessionPolicy holds this user's sub claim")
                .hasMessageContaining("write ${sub}")
                .message().doesNotContain("amazon|7");
    }

    @Test
    @DisplayName("the user's email or upn in a session tag or source identity is refused too")
    void scopeFor_identifyingClaimsInTagsOrSourceIdentity_refused() {
        VerifiedIdentity user = Identities.withClaims("auth0|42", ConnectionType.DATABASE,
                Map.of("sub", "auth0|42", "email", "ann@example.com", "email_verified", true, "upn", "ann.k@corp.example.com"));
        RoleGrant taggedByEmail = RoleGrant.builder(BUYER).federation(RoleGrant.Federation.ASSUME_ROLE)
                .scope(new RoleScope(List.of(), Map.of("owner", "ann@example.com"), List.of(), null)).build();
        RoleGrant sourceIdentityByName = RoleGrant.builder(BUYER).federation(RoleGrant.Federation.ASSUME_ROLE)
                .scope(new RoleScope(List.of(), Map.of(), List.of(), "ann.k@corp.example.com")).build();

        assertThatThrownBy(() -> service.planner().scopeFor("per-user", taggedByEmail, user))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("roles[pet-shop-buyer].tags.owner").hasMessageContaining("email claim")
                .hasMessageContaining("${email}");
        assertThatThrownBy(() -> service.planner().scopeFor("per-user", sourceIdentityByName, user))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("roles[pet-shop-buyer].sourceIdentity").hasMessageContaining("${claim.upn}");
    }

    @Test
    @DisplayName("a short or numeric sub that a constant grant holds by chance (inside an account id) is no reason to refuse it")
    void scopeFor_numericSubInAccountId_notRefused() {
        VerifiedIdentity gitlabUser = Identities.withClaims("1234567", ConnectionType.SOCIAL, Map.of("sub", "1234567"));
        RoleGrant constant = policyGrant("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\","
                + "\"Resource\":\"arn:aws:sqs:us-east-1:123456789012:orders\"}}");

        assertThat(service.planner().scopeFor("per-user", constant, gitlabUser).sessionPolicy()).contains("123456789012:orders");
    }

    @Test
    @DisplayName("a user name that is a common word (preferred_username 'admin') in a constant grant of a rule in code is no "
            + "reason to refuse it")
    void scopeFor_userNameInConstantGrant_notRefused() {
        VerifiedIdentity admin = Identities.withClaims("f81d4fae-7dec-11d0-a765-00a0c91e6bf6", ConnectionType.DATABASE,
                Map.of("sub", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "preferred_username", "admin", "name", "pets"));
        RoleGrant constant = policyGrant("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::pets-admin/reports/*\"}}");

        assertThat(service.planner().scopeFor("per-user", constant, admin).sessionPolicy()).contains("arn:aws:s3:::pets-admin/reports/*");
    }

    @Test
    @DisplayName("a grant the rule declares ahead (the document's) is a constant: a literal that happens to be a user's "
            + "email is not refused")
    void scopeFor_declaredGrant_notChecked() {
        RoleGrant declared = policyGrant("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::b/buyer@example.com/*\"}}");
        try (DelegationService withDeclared = DelegationService.create(DelegationConfig.builder()
                .oidc(OidcSettings.of(URI.create(Identities.ISSUER), "pet-shop"))
                .sts(StsSettings.builder().region(Region.US_EAST_1).build())
                .rules(List.of(DeclarativeRule.builder("support").connectionTypes(ConnectionType.SOCIAL).grant(declared).build()))
                .build())) {
            assertThat(withDeclared.planner().scopeFor("support", declared, Identities.social("amazon|1")).sessionPolicy())
                    .contains("buyer@example.com");
            assertThatThrownBy(() -> withDeclared.planner().scopeFor("not-declaring", declared, Identities.social("amazon|1")))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("email claim");
        }
    }

    @Test
    @DisplayName("the same grant with ${sub} renders the user's value, escaped, and is one template for every user")
    void scopeFor_constantGrantWithVariable_rendersPerUser() {
        RoleGrant constant = policyGrant("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::b/${sub}/*\"}}");

        String ann = service.planner().scopeFor("constant", constant, Identities.social("amazon|ann")).sessionPolicy();
        String bob = service.planner().scopeFor("constant", constant, Identities.social("amazon|bob")).sessionPolicy();

        assertThat(ann).contains("arn:aws:s3:::b/amazon|ann/*");
        assertThat(bob).contains("arn:aws:s3:::b/amazon|bob/*");
        assertThat(service.planner().scopeTemplateCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("a rule that makes a grant per user (here a per-user duration) cannot grow the templates past the bound")
    void scopeFor_perUserGrants_bounded() {
        int users = SessionPlanner.MAX_SCOPE_TEMPLATES + 500;
        for (int i = 0; i < users; i++) {
            RoleGrant perUser = RoleGrant.builder(BUYER).sessionDuration(Duration.ofSeconds(900 + i)).build();
            service.planner().scopeFor("per-user", perUser, Identities.social("amazon|" + i));
        }

        assertThat(service.planner().scopeTemplateCount()).isLessThanOrEqualTo(SessionPlanner.MAX_SCOPE_TEMPLATES);
        assertThat(service.planner().grantsMadeBy("per-user")).isEqualTo(users);
        assertThat(service.planner().grantsMadeBy("everyone")).isZero();
    }
}

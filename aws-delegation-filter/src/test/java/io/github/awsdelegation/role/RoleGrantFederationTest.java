package io.github.awsdelegation.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How a role's STS operation is chosen, and which principals fit a role. */
class RoleGrantFederationTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/admin";

    @Test
    @DisplayName("by default: saml when the principal is an IAM SAML provider, else web-identity")
    void defaultFederation() {
        assertThat(RoleGrant.of(ROLE).federation()).isEqualTo(RoleGrant.Federation.WEB_IDENTITY);
        assertThat(RoleGrant.builder(ROLE).principal("arn:aws:iam::123456789012:saml-provider/shop").build().federation())
                .isEqualTo(RoleGrant.Federation.SAML);
        assertThat(RoleGrant.builder(ROLE).principal("arn:aws:iam::123456789012:oidc-provider/example.eu.auth0.com").build()
                .federation()).isEqualTo(RoleGrant.Federation.WEB_IDENTITY);
        assertThat(RoleGrant.builder(ROLE).principal("arn:aws:iam::123456789012:saml-provider/shop").build().samlProviderArn())
                .hasValue("arn:aws:iam::123456789012:saml-provider/shop");
    }

    @Test
    void federation_parse() {
        assertThat(RoleGrant.Federation.parse("SAML")).isEqualTo(RoleGrant.Federation.SAML);
        assertThat(RoleGrant.Federation.parse(" web-identity ")).isEqualTo(RoleGrant.Federation.WEB_IDENTITY);
        assertThat(RoleGrant.Federation.SAML.configName()).isEqualTo("saml");
        assertThatThrownBy(() -> RoleGrant.Federation.parse("oidc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown federation 'oidc'");
    }

    @Test
    @DisplayName("a principal must be a provider of the role's own partition and account; SAML needs a SAML provider")
    void checkPrincipal() {
        assertThatThrownBy(() -> RoleGrant.checkPrincipal(ROLE, null, RoleGrant.Federation.SAML))
                .hasMessageStartingWith("principal is missing");
        assertThatThrownBy(() -> RoleGrant.checkPrincipal(ROLE, "arn:aws:iam::123456789012:role/other", null))
                .hasMessageContaining("is not an IAM SAML or OIDC provider ARN");
        assertThatThrownBy(() -> RoleGrant.checkPrincipal(ROLE, "arn:aws:iam::210987654321:saml-provider/shop", null))
                .hasMessageContaining("not in the role's partition and account");
        assertThatThrownBy(() -> RoleGrant.checkPrincipal(ROLE, "arn:aws-cn:iam::123456789012:saml-provider/shop", null))
                .hasMessageContaining("not in the role's partition and account");
        assertThatThrownBy(() -> RoleGrant.checkPrincipal(ROLE, "arn:aws:iam::123456789012:oidc-provider/idp.example.com",
                RoleGrant.Federation.SAML)).hasMessageContaining("is an OIDC provider");
        RoleGrant.checkPrincipal(ROLE, "arn:aws:iam::123456789012:saml-provider/shop", RoleGrant.Federation.WEB_IDENTITY);
    }
}

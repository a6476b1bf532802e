package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalRoleTest {

    private static final URI ISSUER = URI.create("http://127.0.0.1:8443/");

    @Test
    @SuppressWarnings("unchecked")
    void trustingOidc_writesTheStandardWebIdentityTrustPolicy() throws Exception {
        LocalRole role = LocalRole.trustingOidc("arn:aws:iam::123456789012:role/app/pet-shop-buyer", ISSUER, "pet-shop");

        Map<String, Object> policy = JSONObjectUtils.parse(role.trustPolicy());
        Map<String, Object> statement = ((List<Map<String, Object>>) policy.get("Statement")).get(0);
        assertThat(statement).containsEntry("Effect", "Allow")
                .containsEntry("Principal", Map.of("Federated", "arn:aws:iam::123456789012:oidc-provider/127.0.0.1:8443"))
                .containsEntry("Action", List.of("sts:AssumeRoleWithWebIdentity", "sts:TagSession"))
                .containsEntry("Condition", Map.of("StringEquals", Map.of("127.0.0.1:8443:aud", "pet-shop")));
        assertThat(role.name()).isEqualTo("pet-shop-buyer");
        assertThat(role.accountId()).isEqualTo("123456789012");
        assertThat(role.maxSessionDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(role.roleId()).matches("AROA[A-Z2-7]{17}").isEqualTo(role.roleId());
        assertThat(role.permissionPolicy()).isEmpty();
    }

    @Test
    void oidcProviderId_dropsSchemeAndTrailingSlashButKeepsPath() {
        assertThat(LocalSts.oidcProviderId(URI.create("http://127.0.0.1:8443/realms/pets/"))).isEqualTo("127.0.0.1:8443/realms/pets");
        assertThat(LocalSts.oidcProviderArn("123456789012", URI.create("http://localhost:1/")))
                .isEqualTo("arn:aws:iam::123456789012:oidc-provider/localhost:1");
    }

    @Test
    void build_badArn_failsNamingIt() {
        assertThatThrownBy(() -> LocalRole.builder().arn("arn:aws:iam::123:role/x").trustPolicy("{}").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("arn:aws:iam::123:role/x");
    }

    @Test
    void build_trustPolicyNotJson_fails() {
        assertThatThrownBy(() -> LocalRole.builder().arn("arn:aws:iam::123456789012:role/x").trustPolicy("{nope").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustPolicy");
    }

    @Test
    void build_maxSessionDurationOutsideOneToTwelveHours_fails() {
        LocalRole.Builder builder = LocalRole.builder().arn("arn:aws:iam::123456789012:role/x").trustPolicy("{}");

        assertThatThrownBy(() -> builder.maxSessionDuration(Duration.ofMinutes(30)).build())
                .hasMessageContaining("maxSessionDuration");
        assertThatThrownBy(() -> builder.maxSessionDuration(Duration.ofHours(13)).build())
                .hasMessageContaining("maxSessionDuration");
        assertThat(builder.maxSessionDuration(Duration.ofHours(12)).build().maxSessionDuration()).isEqualTo(Duration.ofHours(12));
    }
}

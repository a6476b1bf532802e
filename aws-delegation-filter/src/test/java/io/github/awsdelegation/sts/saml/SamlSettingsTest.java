package io.github.awsdelegation.sts.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** The identity provider's settings are checked when built, each message starting with the setting at fault. */
class SamlSettingsTest {

    static SamlSettings.Builder valid() {
        return SamlSettings.builder().entityId("https://shop.example.com/saml").signingKey(SamlTestKeys.signingKey());
    }

    @Test
    void defaults() {
        SamlSettings settings = valid().build();

        assertThat(settings.assertionLifetime()).isEqualTo(SamlSettings.DEFAULT_ASSERTION_LIFETIME).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.attributes()).isEmpty();
        assertThat(settings.sourceIdentity()).isNull();
        assertThat(settings.signInRegion()).isNull();
    }

    @Test
    void entityId() {
        assertThatThrownBy(() -> valid().entityId(null).build()).hasMessageStartingWith("entityId is missing");
        assertThatThrownBy(() -> valid().entityId("shop").build()).hasMessageContaining("must be an absolute URI");
        assertThatThrownBy(() -> valid().entityId("https://x/" + "a".repeat(1100)).build()).hasMessageContaining("longer than 1024");
        assertThat(valid().entityId("urn:example:shop").build().entityId()).isEqualTo("urn:example:shop");
    }

    @Test
    void assertionLifetime_bounds() {
        assertThatThrownBy(() -> valid().assertionLifetime(Duration.ofSeconds(10)).build()).hasMessageStartingWith("assertionLifetime");
        assertThatThrownBy(() -> valid().assertionLifetime(Duration.ofHours(2)).build()).hasMessageStartingWith("assertionLifetime");
    }

    @Test
    void attributes_andTags() {
        assertThatThrownBy(() -> valid().attribute("https://aws.amazon.com/SAML/Attributes/RoleSessionName", "email").build())
                .hasMessageContaining("one of AWS's own");
        assertThatThrownBy(() -> valid().attribute("a", "sub").attribute("a", "email").build()).hasMessageContaining("mapped twice");
        assertThatThrownBy(() -> valid().attribute("a", " ").build()).hasMessageContaining("needs a source");
        assertThatThrownBy(() -> valid().principalTag("aws:team", "claim.team").build()).hasMessageStartingWith("principal tag key");
        assertThatThrownBy(() -> valid().principalTag("Team", "claim.team").principalTag("team", "sub").build())
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> valid().principalTag("team", "claim.team").transitiveTagKeys(List.of("cost")).build())
                .hasMessageStartingWith("transitive tag key 'cost'");
        assertThat(valid().principalTag("team", "claim.team").transitiveTagKeys(List.of("TEAM")).build().transitiveTagKeys())
                .containsExactly("TEAM");
    }

    @Test
    void signInRegion_onlyInTheAwsPartition() {
        assertThatThrownBy(() -> valid().signInRegion(Region.CN_NORTH_1).build()).hasMessageStartingWith("signInRegion");
        assertThat(valid().signInRegion(Region.EU_WEST_1).build().signInUrl(io.github.awsdelegation.sts.internal.Partition.AWS_CN))
                .hasToString("https://signin.amazonaws.cn/saml");
    }
}

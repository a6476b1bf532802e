package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SamlRoleTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/team/pet-shop-admin";
    static final String PROVIDER = "arn:aws:iam::123456789012:saml-provider/pet-shop";

    @Test
    void parse_eitherOrder() {
        assertThat(SamlRole.parse(ROLE + "," + PROVIDER)).isEqualTo(new SamlRole(ROLE, PROVIDER));
        assertThat(SamlRole.parse(PROVIDER + ", " + ROLE)).isEqualTo(new SamlRole(ROLE, PROVIDER));
    }

    @Test
    void profileName_usesTheAlias_elseTheAccountNumber() {
        SamlRole role = SamlRole.parse(ROLE + "," + PROVIDER);

        assertThat(role.profileName(Map.of("123456789012", "pet-shop"))).isEqualTo("pet-shop-admin@pet-shop");
        assertThat(role.profileName(Map.of())).isEqualTo("pet-shop-admin@123456789012");
        assertThat(role.partition()).isEqualTo("aws");
    }

    @Test
    void otherPartitions_areRead() {
        SamlRole role = SamlRole.parse("arn:aws-cn:iam::123456789012:role/r,arn:aws-cn:iam::123456789012:saml-provider/p");

        assertThat(role.partition()).isEqualTo("aws-cn");
        assertThat(Partitions.of(role.partition()).defaultRegion()).isEqualTo("cn-north-1");
        assertThat(Partitions.of("aws-us-gov").contains("us-east-1")).isFalse();
    }

    @Test
    void parse_notARoleAndProvider_isRefused() {
        assertThatThrownBy(() -> SamlRole.parse(ROLE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("roleArn,providerArn");
        assertThatThrownBy(() -> SamlRole.parse(ROLE + "," + ROLE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IAM SAML provider ARN");
    }
}

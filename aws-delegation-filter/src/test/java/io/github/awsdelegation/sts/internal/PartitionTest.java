package io.github.awsdelegation.sts.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** What differs between aws, aws-cn and aws-us-gov: endpoints, sign-in URLs, audiences, regions. */
class PartitionTest {

    @Test
    void ofArn_readsThePartition() {
        assertThat(Partition.ofArn("arn:aws:iam::123456789012:role/a")).isEqualTo(Partition.AWS);
        assertThat(Partition.ofArn("arn:aws-cn:iam::123456789012:role/a")).isEqualTo(Partition.AWS_CN);
        assertThat(Partition.ofArn("arn:aws-us-gov:iam::123456789012:saml-provider/p")).isEqualTo(Partition.AWS_US_GOV);
        assertThatThrownBy(() -> Partition.ofArn("arn:aws-iso:iam::123456789012:role/a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use aws, aws-cn or aws-us-gov");
        assertThatThrownBy(() -> Partition.ofArn("role/a")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an ARN");
    }

    @Test
    @DisplayName("regional STS endpoints everywhere: aws-cn and aws-us-gov have no global one")
    void stsEndpoints() {
        assertThat(Partition.AWS.stsEndpoint(Region.EU_WEST_1)).hasToString("https://sts.eu-west-1.amazonaws.com");
        assertThat(Partition.AWS_CN.stsEndpoint(Region.CN_NORTH_1)).hasToString("https://sts.cn-north-1.amazonaws.com.cn");
        assertThat(Partition.AWS_US_GOV.stsEndpoint(Region.US_GOV_WEST_1)).hasToString("https://sts.us-gov-west-1.amazonaws.com");
        assertThatThrownBy(() -> Partition.AWS_CN.stsEndpoint(Region.EU_WEST_1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region eu-west-1 is not in partition aws-cn (it is in aws)");
    }

    @Test
    @DisplayName("sign-in URLs, SAML audiences (GovCloud: urn:amazon:webservices:govcloud) and federation endpoints")
    void signIn() {
        assertThat(Partition.AWS.samlSignInUrl()).hasToString("https://signin.aws.amazon.com/saml");
        assertThat(Partition.AWS_CN.samlSignInUrl()).hasToString("https://signin.amazonaws.cn/saml");
        assertThat(Partition.AWS_US_GOV.samlSignInUrl()).hasToString("https://signin.amazonaws-us-gov.com/saml");
        assertThat(Partition.AWS.samlAudience()).isEqualTo("https://signin.aws.amazon.com/saml");
        assertThat(Partition.AWS_CN.samlAudience()).isEqualTo("https://signin.amazonaws.cn/saml");
        assertThat(Partition.AWS_US_GOV.samlAudience()).isEqualTo("urn:amazon:webservices:govcloud");
        assertThat(Partition.AWS.federationUrl()).hasToString("https://signin.aws.amazon.com/federation");
        assertThat(Partition.AWS_CN.federationUrl()).hasToString("https://signin.amazonaws.cn/federation");
        assertThat(Partition.AWS_US_GOV.federationUrl()).hasToString("https://signin.amazonaws-us-gov.com/federation");
        assertThat(Partition.AWS.samlSignInUrl(Region.EU_WEST_1)).hasToString("https://eu-west-1.signin.aws.amazon.com/saml");
        assertThat(Partition.AWS.isSamlSignInUrl("https://eu-west-1.signin.aws.amazon.com/saml")).isTrue();
        assertThat(Partition.AWS.isSamlSignInUrl("https://signin.aws.amazon.com/saml")).isTrue();
        assertThat(Partition.AWS.isSamlSignInUrl("https://evil.signin.aws.amazon.com/saml")).isFalse();
        assertThat(Partition.AWS.isSamlSignInUrl("https://signin.amazonaws.cn/saml")).isFalse();
    }

    @Test
    void regions() {
        assertThat(Partition.ofRegion(Region.CN_NORTHWEST_1)).isEqualTo(Partition.AWS_CN);
        assertThat(Partition.ofRegion(Region.US_GOV_EAST_1)).isEqualTo(Partition.AWS_US_GOV);
        assertThat(Partition.AWS.contains(Region.US_EAST_1)).isTrue();
        assertThat(Partition.AWS.contains(Region.CN_NORTH_1)).isFalse();
        assertThat(Partition.AWS_CN.defaultRegion()).isEqualTo(Region.CN_NORTH_1);
        assertThatThrownBy(() -> Partition.ofRegion(Region.of("eu-west-9")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an AWS region known to the AWS SDK");
        assertThatThrownBy(() -> Partition.ofRegion(Region.AWS_GLOBAL)).isInstanceOf(IllegalArgumentException.class);
    }
}

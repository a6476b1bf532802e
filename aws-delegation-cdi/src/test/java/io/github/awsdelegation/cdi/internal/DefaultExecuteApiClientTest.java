package io.github.awsdelegation.cdi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.cdi.ExecuteApiClient;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class DefaultExecuteApiClientTest {

    final DefaultExecuteApiClient client = (DefaultExecuteApiClient) ExecuteApiClient.builder()
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .region(Region.EU_WEST_1)
            .build();

    @Test
    @DisplayName("the signing region is the one an execute-api host name names, VPC endpoint names included")
    void signingRegion_fromHost() {
        assertThat(client.signingRegion(URI.create("https://abc123.execute-api.us-east-2.amazonaws.com/prod/pets")))
                .isEqualTo(Region.US_EAST_2);
        assertThat(client.signingRegion(URI.create("https://abc123-vpce-0a1b2c.execute-api.ap-south-1.vpce.amazonaws.com/p")))
                .isEqualTo(Region.AP_SOUTH_1);
        assertThat(client.signingRegion(URI.create("https://abc123.execute-api.cn-north-1.amazonaws.com.cn/p")))
                .isEqualTo(Region.CN_NORTH_1);
    }

    @Test
    @DisplayName("for a custom domain name, the signing region is the client's")
    void signingRegion_customDomain() {
        assertThat(client.signingRegion(URI.create("https://api.pets.example.com/pets"))).isEqualTo(Region.EU_WEST_1);
        assertThat(client.signingRegion(URI.create("https://execute-api.us-east-2.amazonaws.com.evil.example/x")))
                .isEqualTo(Region.EU_WEST_1);
    }
}

package io.github.awsdelegation.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAwsExtension;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;

/**
 * The filter leaves the SDK's default HTTP clients (Apache HttpClient 5, Netty) out of an app's WAR and brings the
 * URL connection client instead. An app's own SDK client, built without naming an HTTP client, must still find one
 * by the SDK's service lookup rather than fail with "Unable to load an HTTP implementation" (docs/dependencies.md).
 */
class SdkDefaultHttpClientTest {

    @RegisterExtension
    static LocalAwsExtension aws = LocalAwsExtension.builder().build();

    @Test
    @DisplayName("an SDK client built without an HTTP client finds the URL connection client the filter brings, and calls STS with it")
    void clientWithoutHttpClient_usesUrlConnectionClient(LocalSts sts, LocalIdentityProvider idp) {
        try (StsClient client = StsClient.builder().region(Region.US_EAST_1).endpointOverride(sts.endpoint())
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
            AssumeRoleWithWebIdentityResponse response = client.assumeRoleWithWebIdentity(r -> r
                    .roleArn(Demo.BUYER_ROLE_ARN).roleSessionName("amazon-1")
                    .webIdentityToken(idp.newIdToken().subject("amazon|1").sign()));

            assertThat(response.credentials().accessKeyId()).isNotBlank();
        }
    }

    @Test
    @DisplayName("the SDK's Apache and Netty clients are not on the filter's class path")
    void defaultClients_absent() {
        assertThatThrownBy(() -> Class.forName("software.amazon.awssdk.http.apache5.Apache5HttpClient"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("software.amazon.awssdk.http.apache.ApacheHttpClient"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}

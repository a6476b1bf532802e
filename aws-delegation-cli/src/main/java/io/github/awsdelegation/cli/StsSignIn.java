package io.github.awsdelegation.cli;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithSamlResponse;

/**
 * STS {@code AssumeRoleWithSAML} on the user's machine: an unsigned call (the SAML response is the proof), to the
 * role's partition in the chosen region (by default the partition's first region), or to {@code --sts-endpoint}.
 */
final class StsSignIn {

    private StsSignIn() {
    }

    static Credentials assume(SamlRole role, String samlResponse, String region, URI endpoint) {
        Partitions partition = Partitions.of(role.partition());
        String chosen = region != null ? region : partition.defaultRegion();
        if (!partition.contains(chosen)) {
            throw new CliException("region " + chosen + " is not in the role's partition " + role.partition()
                    + ": credentials of a partition come only from its own regions");
        }
        StsClientBuilder builder = StsClient.builder().region(Region.of(chosen))
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(30)));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        try (StsClient sts = builder.build()) {
            AssumeRoleWithSamlResponse answer = sts.assumeRoleWithSAML(r -> r.roleArn(role.roleArn())
                    .principalArn(role.providerArn()).samlAssertion(samlResponse));
            var c = answer.credentials();
            return new Credentials(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(), c.expiration());
        } catch (SdkException e) {
            throw new CliException("STS refused AssumeRoleWithSAML for " + role.roleArn() + ": " + e.getMessage(), e);
        }
    }
}

package io.github.awsdelegation.sts.saml;

import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.sts.saml.internal.SamlMetadata;
import io.github.awsdelegation.testkit.LocalRole;
import io.github.awsdelegation.testkit.LocalSts;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A local STS that knows this module as a SAML identity provider, set up as an administrator sets up IAM: a SAML
 * provider made from the module's metadata, and roles that trust it.
 */
final class LocalSamlSts implements AutoCloseable {

    static final String PROVIDER = SamlAssertionFactoryTest.PROVIDER;
    static final String ADMIN_ROLE = SamlAssertionFactoryTest.ADMIN.roleArn();
    static final String BUYER_ROLE = SamlAssertionFactoryTest.BUYER.roleArn();
    static final String TAGGED_ROLE = "arn:aws:iam::123456789012:role/tagged";
    static final String OTHER_PROVIDER_ROLE = "arn:aws:iam::123456789012:role/trusts-another-provider";
    static final String LONG_ROLE = "arn:aws:iam::123456789012:role/long-sessions";
    static final String NO_TAGS_ROLE = "arn:aws:iam::123456789012:role/no-session-tags";
    static final String REGIONAL_ROLE = "arn:aws:iam::123456789012:role/regional-sign-in";

    final LocalSts sts;

    LocalSamlSts(SamlSettings settings, Clock clock) {
        String metadata = new SamlMetadata(settings).xml(URI.create("https://shop.example.com/saml/console"));
        this.sts = LocalSts.builder()
                .clock(clock)
                .samlProvider(PROVIDER, metadata)
                .role(LocalRole.trustingSaml(ADMIN_ROLE, PROVIDER))
                .role(LocalRole.trustingSaml(BUYER_ROLE, PROVIDER))
                .role(LocalRole.builder().arn(LONG_ROLE).trustPolicy(LocalRole.samlTrustPolicy(PROVIDER))
                        .maxSessionDuration(Duration.ofHours(12)).build())
                .role(LocalRole.builder().arn(TAGGED_ROLE).trustPolicy("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                        + "{\"Federated\":\"" + PROVIDER + "\"},\"Action\":[\"sts:AssumeRoleWithSAML\",\"sts:TagSession\","
                        + "\"sts:SetSourceIdentity\"],\"Condition\":{\"StringEquals\":{\"SAML:aud\":"
                        + "\"https://signin.aws.amazon.com/saml\",\"SAML:sub_type\":\"persistent\"},"
                        + "\"StringLike\":{\"SAML:sub\":\"auth0|*\"}}}]}").build())
                .role(LocalRole.builder().arn(NO_TAGS_ROLE).trustPolicy("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                        + "{\"Federated\":\"" + PROVIDER + "\"},\"Action\":\"sts:AssumeRoleWithSAML\"}]}").build())
                .role(LocalRole.builder().arn(REGIONAL_ROLE).trustPolicy("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                        + "{\"Federated\":\"" + PROVIDER + "\"},\"Action\":\"sts:AssumeRoleWithSAML\",\"Condition\":"
                        + "{\"StringEquals\":{\"SAML:aud\":[\"https://signin.aws.amazon.com/saml\","
                        + "\"https://eu-west-1.signin.aws.amazon.com/saml\"]}}}]}").build())
                .role(LocalRole.trustingSaml(OTHER_PROVIDER_ROLE, "arn:aws:iam::123456789012:saml-provider/another"))
                .start();
    }

    /** Settings for the module's issuers against this STS (no retries beyond one repeat, short timeouts). */
    StsSettings stsSettings() {
        return StsSettings.builder().region(Region.US_EAST_1).endpointOverride(sts.endpoint())
                .callTimeout(Duration.ofSeconds(5)).attemptTimeout(Duration.ofSeconds(2)).maxAttempts(2)
                .retryAfter(Duration.ofSeconds(7)).build();
    }

    /** A plain anonymous SDK client that does not retry, for presenting hand-made assertions. */
    StsClient client() {
        return StsClient.builder().endpointOverride(sts.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Override
    public void close() {
        sts.close();
    }
}

package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sts.StsClient;

class LocalStsConfigurationTest {

    @Test
    @DisplayName("roles with trust and permission policies and MaxSessionDuration, managed policies and access keys come from a JSON file")
    void configuration_fromFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("account.json");
        Files.writeString(file, """
                {"roles": [{"arn": "arn:aws:iam::123456789012:role/from-file",
                            "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                               "Principal": {"Federated": "${oidcProviderArn}"},
                               "Action": ["sts:AssumeRoleWithWebIdentity"],
                               "Condition": {"StringEquals": {"${oidcProviderId}:aud": "pet-shop"}}}]},
                            "permissionPolicy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}",
                            "maxSessionDuration": 7200}],
                 "managedPolicies": {"arn:aws:iam::123456789012:policy/p": {"Version": "2012-10-17", "Statement": []}},
                 "accessKeys": [{"accessKeyId": "AKIAFILEEXAMPLE00001", "secretAccessKey": "secret-from-the-file-0000",
                                 "principalArn": "arn:aws:iam::123456789012:user/app"}]}
                """);

        try (LocalAws aws = LocalAws.builder().sts(b -> b.configuration(file)).start();
                StsClient client = TestSupport.stsClient(aws.sts())) {
            LocalRole role = aws.sts().role("arn:aws:iam::123456789012:role/from-file").orElseThrow();
            assertThat(role.maxSessionDuration()).isEqualTo(Duration.ofHours(2));
            assertThat(role.trustPolicy()).contains(aws.sts().oidcProviderArn(aws.identityProvider().issuer()));
            assertThat(aws.sts().managedPolicy("arn:aws:iam::123456789012:policy/p")).isPresent();
            assertThat(aws.sts().accessKey("AKIAFILEEXAMPLE00001")).isPresent();

            var credentials = client.assumeRoleWithWebIdentity(b -> b.roleArn(role.arn()).roleSessionName("file")
                    .durationSeconds(7200).webIdentityToken(aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID)))
                    .credentials();
            assertThat(credentials.accessKeyId()).startsWith("ASIA");
        }
    }

    @Test
    @DisplayName("an unknown key in the file fails the start, naming it")
    void configuration_unknownKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("account.json");
        Files.writeString(file, "{\"rolez\": []}");

        assertThatThrownBy(() -> LocalAws.builder().sts(b -> b.configuration(file)).start())
                .hasMessageContaining("unknown key 'rolez'");
    }
}

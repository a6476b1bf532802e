package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.scope.internal.RoleSessionNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS CLI (Debian package {@code awscli}) with a profile whose {@code credential_process} is this client's
 * jar: {@code aws sts get-caller-identity} against the testkit's STS prints the user's assumed role. The browser step
 * happens first, in this JVM; the AWS CLI's own call is then served from the client's cache, as repeated calls are.
 */
class AwsCliCredentialProcessIT {

    static final String PROFILE = "pet-shop-reports@pet-shop";

    final ShopApp app = ShopApp.get();

    @TempDir
    Path home;

    static Path awsCli() {
        for (String candidate : new String[] {"/usr/bin/aws", "/usr/local/bin/aws"}) {
            if (Files.isExecutable(Paths.get(candidate))) {
                return Paths.get(candidate);
            }
        }
        throw new AssertionError("the AWS CLI is not installed: apt-get install -y awscli (Debian), as .ci/run does");
    }

    @Test
    @DisplayName("aws sts get-caller-identity with credential_process = our jar prints the assumed role")
    void awsCli_getCallerIdentity_isTheAssumedRole() throws Exception {
        Path aws = awsCli();
        Path jar = Paths.get(System.getProperty("cli.jar", "target/aws-delegation-cli-all.jar")).toAbsolutePath();
        assertThat(jar).as("the runnable jar (mvn package)").exists();
        Path dir = Files.createDirectories(home.resolve(".aws-delegation"));
        Files.writeString(dir.resolve("config"), "url = " + app.url + "\nsts-endpoint = " + app.aws.sts().endpoint() + "\n");
        Files.writeString(dir.resolve("aliases"), "pet-shop = 123456789012\n");

        CliRunner.Result signIn = new CliRunner(home, new Browser()).run("credential-process", "-p", PROFILE);
        assertThat(signIn.status()).as(signIn.err()).isZero();

        Path config = Files.createDirectories(home.resolve(".aws")).resolve("config");
        Files.writeString(config, """
                [profile %s]
                region = us-east-1
                credential_process = %s -Duser.home=%s -jar %s credential-process -p %s --no-browser --timeout 5
                """.formatted(PROFILE, Paths.get(System.getProperty("java.home"), "bin", "java"), home, jar, PROFILE));
        ProcessBuilder process = new ProcessBuilder(aws.toString(), "sts", "get-caller-identity", "--profile", PROFILE,
                "--endpoint-url", app.aws.sts().endpoint().toString(), "--output", "json").redirectErrorStream(true);
        Map<String, String> env = process.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("HOME", home.toString());
        env.put("AWS_CONFIG_FILE", config.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve(".aws/none").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        Process aws2 = process.start();
        aws2.getOutputStream().close();
        boolean ended = aws2.waitFor(90, TimeUnit.SECONDS);
        String output = new String(aws2.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            aws2.destroyForcibly();
        }

        assertThat(ended).as("aws ended; it printed: " + output).isTrue();
        assertThat(aws2.exitValue()).as(output).isZero();
        assertThat(output).contains("\"Arn\": \"arn:aws:sts::123456789012:assumed-role/pet-shop-reports/" + RoleSessionNames.of("amazon|amzn1.account.DEMO") + "\"",
                "\"Account\": \"123456789012\"");
    }
}

package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.SigningKeyStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar aws-delegation-cli-all.jar explain} end to end: the runnable jar carries the filter's stages (and
 * OpenSAML, for a configuration with a {@code saml} section), reads the variables of the configuration from its
 * environment, and calls nothing (the issuer and STS here do not exist).
 */
class ExplainProcessIT {

    @TempDir
    Path dir;

    @Test
    @DisplayName("the runnable jar explains a database user on a configuration with a saml section, from its environment")
    void runnableJar_explains() throws Exception {
        Path keyStore = SigningKeyStores.writePkcs12(dir.resolve("saml.p12"), "saml", "demo-only", "pet-shop test");
        Path config = Files.writeString(dir.resolve("aws-delegation.yaml"), """
                oidc:
                  issuer: https://tenant.invalid/
                  clientId: pet-shop
                sts:
                  region: eu-west-1
                  endpoint: http://127.0.0.1:9/
                saml:
                  entityId: urn:aws-delegation:pet-shop
                  keyStore:
                    path: ${SAML_KEYSTORE}
                    password: ${SAML_KEYSTORE_PASSWORD}
                rules:
                  - id: database-admins
                    connectionType: database
                    roles:
                      - arn: arn:aws:iam::123456789012:role/pet-shop-admin
                      - arn: arn:aws:iam::123456789012:role/pet-shop-console
                        principal: arn:aws:iam::123456789012:saml-provider/pet-shop
                """);
        Path claims = Files.writeString(dir.resolve("claims.json"), "{\"sub\": \"auth0|42\"}");

        ProcessBuilder builder = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", CliProcessIT.jar().toString(), "explain", "--claims", claims.toString(), "--role", "pet-shop-console",
                "--config", config.toString());
        builder.environment().put("SAML_KEYSTORE", keyStore.toString());
        builder.environment().put("SAML_KEYSTORE_PASSWORD", "demo-only");
        builder.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String out = Files.readString(dir.resolve("out"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("err"), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(err + out).isZero();
        assertThat(out).contains("1. database-admins: MATCHED, decides", "[yes] connection type is database",
                "Decision: arn:aws:iam::123456789012:role/pet-shop-console (requested)",
                "STS operation: saml, region eu-west-1", "principal: arn:aws:iam::123456789012:saml-provider/pet-shop");
        assertThat(err).isEmpty();
        assertThat(List.of(out, err)).noneMatch(s -> s.contains("demo-only"));
    }
}

package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aws-delegation explain} on an app's configuration document: every rule in order with why, the decision and
 * the session STS would be asked for, without calling anything (the issuer and STS here do not exist).
 */
class ExplainCommandTest {

    static final String CONFIG = """
            oidc:
              issuer: https://tenant.invalid/
              clientId: pet-shop
            sts:
              region: eu-west-1
              endpoint: http://127.0.0.1:9/
            rules:
              - class: io.github.awsdelegation.cli.ContractorsRule
              - id: social-buyers
                connectionType: social
                roles:
                  - arn: arn:aws:iam::123456789012:role/pet-shop-buyer
                    sessionPolicy: |
                      {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                       "Resource": "arn:aws:s3:::pet-shop/${sub}/*"}]}
              - id: database-admins
                connectionType: database
                group: [admins]
                roles:
                  - arn: arn:aws:iam::123456789012:role/pet-shop-admin
                  - arn: arn:aws:iam::123456789012:role/pet-shop-buyer
            """;

    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return new AwsDelegationCli(dir, uri -> {
            throw new AssertionError("no browser in this test");
        }, Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
    }

    Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    @DisplayName("a social user: each rule with why, the buyer role, and the rendered session policy with its size")
    void socialUser_text() throws Exception {
        Path config = file("aws-delegation.yaml", CONFIG);
        Path claims = file("claims.json", "{\"sub\": \"amazon|amzn1.account.B\", \"email\": \"b@example.com\"}");

        int status = run("explain", "--claims", claims.toString(), "--config", config.toString());

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(text).contains(
                "1. contractors: did not match",
                "a rule in code (io.github.awsdelegation.cli.ContractorsRule); it explains no conditions, it does not match",
                "2. social-buyers: MATCHED, decides",
                "[yes] connection type is social",
                "3. database-admins: did not match",
                "[no]  connection type is social, not database",
                "[no]  groups [] include none of [admins]",
                "Decision: arn:aws:iam::123456789012:role/pet-shop-buyer (the rule's default)",
                "STS operation: web-identity, region eu-west-1",
                "\"Resource\":\"arn:aws:s3:::pet-shop/amazon|amzn1.account.B/*\"",
                "role session name: amazon-amzn1.account.B")
                .containsPattern("size: policy \\d+/2048 chars, 0/10 managed policies, 0/50 tags, packed size ~\\d+% \\(estimate\\)");
    }

    @Test
    @DisplayName("--role refused: exit status 3, the refusal the user would read, and the rule that refused")
    void requestedRoleRefused_json() throws Exception {
        Path config = file("aws-delegation.yaml", CONFIG);
        Path claims = file("claims.json", "{\"sub\": \"amazon|amzn1.account.B\"}");

        int status = run("explain", "--claims", claims.toString(), "--role", "pet-shop-admin", "--json", "--config", config.toString());

        assertThat(status).isEqualTo(ExplainCommand.REFUSED);
        Map<String, Object> json = JSONObjectUtils.parse(out.toString(StandardCharsets.UTF_8));
        assertThat(json).containsEntry("granted", false).containsEntry("requestedRole", "pet-shop-admin")
                .doesNotContainKey("session");
        assertThat((String) json.get("refusal")).startsWith("role 'pet-shop-admin' is not permitted for this user; rule 'social-buyers'");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rules = (List<Map<String, Object>>) json.get("rules");
        assertThat(rules).extracting(r -> r.get("id"), r -> r.get("matched"), r -> r.get("decides")).containsExactly(
                org.assertj.core.groups.Tuple.tuple("contractors", false, false),
                org.assertj.core.groups.Tuple.tuple("social-buyers", true, true),
                org.assertj.core.groups.Tuple.tuple("database-admins", false, false));
    }

    @Test
    @DisplayName("a user the rule in code matches: its reason, and a warning that rules in code explain no conditions")
    void ruleInCode() throws Exception {
        Path config = file("aws-delegation.yaml", CONFIG);
        Path claims = file("claims.json", "{\"sub\": \"auth0|c1\", \"employment\": \"contractor\"}");

        assertThat(run("explain", "--claims", claims.toString(), "--config", config.toString())).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1. contractors: MATCHED, decides",
                "its match says: employment is contractor", "Decision: arn:aws:iam::123456789012:role/pet-shop-reports",
                "Warning: rules in code explain no conditions unless they override RoleRule.explain");
    }

    @Test
    @DisplayName("mistakes say what to do: no user given, claims without sub, a configuration error with its key")
    void mistakes() throws Exception {
        Path config = file("aws-delegation.yaml", CONFIG);

        assertThat(run("explain", "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("give the user as --claims claims.json or --id-token token-file");

        Path noSub = file("nosub.json", "{\"email\": \"x@example.com\"}");
        assertThat(run("explain", "--claims", noSub.toString(), "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the claims have no sub");

        Path bad = file("bad.yaml", CONFIG.replace("region: eu-west-1", "region: 42"));
        Path claims = file("claims.json", "{\"sub\": \"auth0|1\"}");
        assertThat(run("explain", "--claims", claims.toString(), "--config", bad.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("aws-delegation: " + bad).contains("sts.region");
    }
}

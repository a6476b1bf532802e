package io.github.awsdelegation.scope.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.Identities;
import io.github.awsdelegation.scope.ScopeRejectedException;
import io.github.awsdelegation.token.ConnectionType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionPolicyTemplateTest {

    static final String OWN_FOLDER = """
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["s3:GetObject", "s3:PutObject"],
                  "Resource": "arn:aws:s3:::pet-files/${sub}/*"
                },
                {
                  "Effect": "Allow",
                  "Action": "s3:ListBucket",
                  "Resource": "arn:aws:s3:::pet-files",
                  "Condition": {"StringLike": {"s3:prefix": ["${sub}/*"]}}
                },
                {
                  "Effect": "Allow",
                  "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::shared/${aws:userid}/*"
                }
              ]
            }
            """;

    @Test
    @DisplayName("renders the user's values into compact JSON and leaves IAM's own variables alone")
    void render_substitutesUserValues() throws Exception {
        String json = SessionPolicyTemplate.parse("r", OWN_FOLDER).render(Identities.social("amazon|42"));

        assertThat(json).doesNotContain("\n").doesNotContain(": ");
        assertThat(json).contains("\"Resource\":\"arn:aws:s3:::pet-files/amazon|42/*\"");
        assertThat(json).contains("\"s3:prefix\":\"amazon|42/*\"");
        assertThat(json).contains("arn:aws:s3:::shared/${aws:userid}/*");
        assertThat(JSONObjectUtils.parse(json)).containsKey("Statement");
    }

    @Test
    @DisplayName("a value cannot break out of its JSON string")
    void render_escapesQuotes() throws Exception {
        var sneaky = Identities.withClaims("x\"},{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole", ConnectionType.SOCIAL, Map.of());
        String json = SessionPolicyTemplate.parse("r", """
                {"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${sub}"}]}
                """).render(sneaky);

        Map<String, Object> parsed = JSONObjectUtils.parse(json);
        assertThat(parsed.get("Statement")).as("still one statement").isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) parsed.get("Statement")).get("Resource"))
                .isEqualTo("arn:aws:s3:::b/x\"},{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole");
    }

    @Test
    @DisplayName("a wildcard in a user's value is refused rather than widening the policy")
    void render_refusesWildcards() {
        var template = SessionPolicyTemplate.parse("own-folder", OWN_FOLDER);

        assertThatThrownBy(() -> template.render(Identities.social("amazon|*")))
                .isInstanceOf(ScopeRejectedException.class)
                .hasMessageContaining("${sub}").hasMessageContaining("wildcard");
    }

    @Test
    @DisplayName("a policy over STS's 2,048 characters is refused before STS is called")
    void render_tooLarge() {
        String template = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/${claim.note}\"}]}";
        var user = Identities.withClaims("x|1", ConnectionType.SOCIAL, Map.of("note", "n".repeat(2000)));

        assertThatThrownBy(() -> SessionPolicyTemplate.parse("big", template).render(user))
                .isInstanceOf(ScopeRejectedException.class)
                .hasMessageContaining("rule 'big'").hasMessageContaining("STS accepts at most 2048");
    }

    @Test
    void render_missingValue() {
        var noEmail = Identities.withClaims("x|1", ConnectionType.SOCIAL, Map.of());
        var template = SessionPolicyTemplate.parse("r",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b/${email}/*\"}]}");

        assertThatThrownBy(() -> template.render(noEmail)).isInstanceOf(ScopeRejectedException.class)
                .hasMessageContaining("needs ${email}");
    }

    @Test
    void parse_rejectsBadTemplates() {
        assertThatThrownBy(() -> SessionPolicyTemplate.parse("r", "{not json")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> SessionPolicyTemplate.parse("r", "{\"Version\":\"2012-10-17\"}")).hasMessageContaining("no \"Statement\"");
        assertThatThrownBy(() -> SessionPolicyTemplate.parse("r",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/${user}\"}]}"))
                .hasMessageContaining("unknown variable ${user}");
    }

    @Test
    @DisplayName("${groups} repeats an action, resource or condition value once per group; a user in no group is refused")
    void render_groups() throws Exception {
        var template = SessionPolicyTemplate.parse("teams", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
                 "Resource":"arn:aws:s3:::b/teams/${groups}/*",
                 "Condition":{"StringEquals":{"aws:PrincipalTag/team":"${groups}"}}}]}
                """);

        Map<String, Object> parsed = JSONObjectUtils.parse(template.render(Identities.database("auth0|1", List.of("red", "blue"))));

        Map<?, ?> statement = (Map<?, ?>) parsed.get("Statement");
        assertThat(statement.get("Resource")).isEqualTo(List.of("arn:aws:s3:::b/teams/red/*", "arn:aws:s3:::b/teams/blue/*"));
        assertThat(((Map<?, ?>) ((Map<?, ?>) statement.get("Condition")).get("StringEquals")).get("aws:PrincipalTag/team"))
                .isEqualTo(List.of("red", "blue"));
        assertThatThrownBy(() -> template.render(Identities.database("auth0|2", List.of())))
                .isInstanceOf(ScopeRejectedException.class).hasMessageContaining("${groups}").hasMessageContaining("no group");
    }

    @Test
    @DisplayName("${sessionName} is the role session name STS sees")
    void render_sessionName() {
        String json = SessionPolicyTemplate.parse("r",
                "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b/${sessionName}/*\"}}")
                .render(Identities.social("amazon|42"));

        assertThat(json).contains("arn:aws:s3:::b/" + RoleSessionNames.of("amazon|42") + "/*");
    }

    @Test
    @DisplayName("a template the policy model would silently change is refused: unknown elements, Principal, non-string values")
    void parse_refusesWhatTheModelWouldDrop() {
        assertThatThrownBy(() -> SessionPolicyTemplate.parse("r",
                "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Conditon\":{}}}"))
                .hasMessageContaining("unknown statement element \"Conditon\"");
        assertThatThrownBy(() -> SessionPolicyTemplate.parse("r",
                "{\"Version\":\"2012-10-17\",\"Statment\":[],\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}"))
                .hasMessageContaining("unknown element \"Statment\"");
        assertThatThrownBy(() -> SessionPolicyTemplate.parse("r",
                "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}"))
                .hasMessageContaining("names a Principal");
        assertThatThrownBy(() -> SessionPolicyTemplate.parse("r", "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"s3:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":false}}}}"))
                .hasMessageContaining("write every action, resource and condition value as a JSON string");
        assertThatThrownBy(() -> SessionPolicyTemplate.parse("r", "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\", 7],"
                + "\"Resource\":\"*\"}}"))
                .hasMessageContaining("value in \"Action\" that is not a string");
        assertThatThrownBy(() -> SessionPolicyTemplate.parse("r", "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":\"x\"}}}"))
                .hasMessageContaining("\"Condition\" that is not an object");
    }

    @Test
    @DisplayName("a template IAM would refuse is refused at startup: an Effect other than Allow or Deny, an empty list, no statement")
    void parse_refusesWhatIamRefuses() {
        assertThatThrownBy(() -> SessionPolicyTemplate.parse("r", "{\"Statement\":{\"Effect\":\"allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}"))
                .hasMessageContaining("rule 'r'").hasMessageContaining("\"Effect\" is not \"Allow\" or \"Deny\"");
        assertThatThrownBy(() -> SessionPolicyTemplate.parse("r", "{\"Statement\":{\"Action\":\"s3:*\",\"Resource\":\"*\"}}"))
                .hasMessageContaining("\"Effect\" is not \"Allow\" or \"Deny\"");
        assertThatThrownBy(() -> SessionPolicyTemplate.parse("r", "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}}"))
                .hasMessageContaining("empty list in \"Action\"");
        assertThatThrownBy(() -> SessionPolicyTemplate.parse("r", "{\"Statement\":[]}"))
                .hasMessageContaining("no statement");
    }

    @Test
    @DisplayName("writes Version, Id, Sid and every element in the order of IAM's grammar, one value as a string, the default Version when none is given")
    void render_canonicalCompactForm() {
        String json = SessionPolicyTemplate.parse("r", """
                {"Id": "files", "Statement": [{"Condition": {"StringLike": {"s3:prefix": ["${sub}/*"]}},
                  "Resource": ["arn:aws:s3:::b"], "NotAction": "s3:DeleteBucket", "Action": "s3:List*",
                  "Effect": "Allow", "Sid": "List"}]}
                """).render(Identities.social("amazon|42"));

        assertThat(json).isEqualTo("{\"Version\":\"2012-10-17\",\"Id\":\"files\",\"Statement\":{\"Sid\":\"List\","
                + "\"Effect\":\"Allow\",\"Action\":\"s3:List*\",\"NotAction\":\"s3:DeleteBucket\",\"Resource\":\"arn:aws:s3:::b\","
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":\"amazon|42/*\"}}}}");
    }
}

package io.github.awsdelegation.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one reader of IAM policy JSON that both the trust and the permission evaluators use. */
class PolicyDocumentTest {

    private static final Set<String> ALL = Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
            "Resource", "NotResource", "Condition");

    @Test
    @DisplayName("a statement reads into effect, principal by type, actions, resources and one condition per operator and key")
    void parse_readsTheGrammar() {
        PolicyDocument document = PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Web\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::123456789012:oidc-provider/x\"},"
                + "\"Action\":[\"sts:AssumeRoleWithWebIdentity\",\"sts:TagSession\"],\"NotResource\":\"arn:aws:s3:::b\","
                + "\"Condition\":{\"StringEquals\":{\"x:aud\":[\"a\",\"b\"],\"aws:MultiFactorAuthPresent\":true}}}]}",
                ALL, "trust policy");

        assertThat(document.version()).isEqualTo("2012-10-17");
        PolicyDocument.Statement statement = document.statements().get(0);
        assertThat(statement.label()).isEqualTo("statement 'Web' of the trust policy");
        assertThat(statement.effect()).isEqualTo("Allow");
        assertThat(statement.principal()).containsEntry("Federated", List.of("arn:aws:iam::123456789012:oidc-provider/x"));
        assertThat(statement.notPrincipal()).isFalse();
        assertThat(statement.actions()).containsExactly("sts:AssumeRoleWithWebIdentity", "sts:TagSession");
        assertThat(statement.resources()).containsExactly("arn:aws:s3:::b");
        assertThat(statement.notResource()).isTrue();
        assertThat(statement.conditions()).containsExactly(
                new PolicyDocument.Condition("StringEquals", "x:aud", List.of("a", "b")),
                new PolicyDocument.Condition("StringEquals", "aws:MultiFactorAuthPresent", List.of("true")));
    }

    @Test
    @DisplayName("NotPrincipal, NotAction and a single statement object are read, not dropped (the SDK's IamPolicy drops unknown elements)")
    void parse_notElementsAndSingleStatement() {
        PolicyDocument.Statement statement = PolicyDocument.parse("{\"Statement\":{\"Effect\":\"Deny\",\"NotPrincipal\":"
                + "\"*\",\"NotAction\":\"s3:*\",\"Resource\":\"*\"}}", ALL, "policy").statements().get(0);

        assertThat(statement.label()).isEqualTo("statement #1 of the policy");
        assertThat(statement.notPrincipal()).isTrue();
        assertThat(statement.principal()).isEqualTo(Map.of("*", List.of("*")));
        assertThat(statement.notAction()).isTrue();
        assertThat(statement.actions()).containsExactly("s3:*");
    }

    @Test
    @DisplayName("what the evaluator does not support, or the grammar does not allow, is named with where it is")
    void parse_unsupported_namesElementAndPlace() {
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\"}]}",
                Set.of("Effect", "Action"), "trust policy"))
                .isInstanceOf(PolicyDocument.Unsupported.class)
                .hasMessage("statement element 'Principal' (in statement #1 of the trust policy)");
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Statement\":[],\"Extra\":1}", ALL, "session policy #1"))
                .hasMessage("policy element 'Extra' (in session policy #1)");
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Statement\":{\"Effect\":\"allow\"}}", ALL, "p"))
                .hasMessageContaining("Effect 'allow'").hasMessageContaining("use Allow or Deny");
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a\",\"NotAction\":\"b\"}}",
                ALL, "p")).hasMessageContaining("both Action and NotAction");
        assertThatThrownBy(() -> PolicyDocument.parse("{oops", ALL, "trust policy"))
                .hasMessage("trust policy that is not valid JSON");
    }

    @Test
    @DisplayName("glob: * and ? are wildcards; LITERAL_MARK quotes the next character")
    void glob() {
        assertThat(PolicyDocument.glob("s3:Get*", "S3:GETOBJECT", true)).isTrue();
        assertThat(PolicyDocument.glob("s3:Get*", "S3:GETOBJECT", false)).isFalse();
        assertThat(PolicyDocument.glob("a?c", "abc", false)).isTrue();
        assertThat(PolicyDocument.glob("a" + PolicyDocument.LITERAL_MARK + "*", "ab", false)).isFalse();
        assertThat(PolicyDocument.glob("a" + PolicyDocument.LITERAL_MARK + "*", "a*", false)).isTrue();
    }
}

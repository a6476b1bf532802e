package io.github.awsdelegation.testkit.iam;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.iam.PolicyEvaluator.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {

    static final Map<String, String> BUYER = Map.of("aws:userid", "AROAEXAMPLE:amazon-1", "idp.example:sub", "amazon|1",
            "aws:PrincipalTag/team", "blue", "saml:sub", "alice");

    static PolicyEvaluator.Decision evaluate(String action, String resource, Map<String, String> context, List<String> role,
            List<String> session) {
        return PolicyEvaluator.evaluate(new PolicyEvaluator.Request(action, resource, context), role, session);
    }

    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    @Test
    @DisplayName("the effective permissions are the role's policy intersected with the session policy")
    void intersection() {
        String role = policy("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b/*\"}");
        String session = policy("{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"*\"}");

        assertThat(evaluate("s3:GetObject", "arn:aws:s3:::b/k", BUYER, List.of(role), List.of(session)).outcome())
                .isEqualTo(Outcome.ALLOWED);
        assertThat(evaluate("s3:DeleteObject", "arn:aws:s3:::b/k", BUYER, List.of(role), List.of(session)).reason())
                .contains("no statement of the session policy");
        assertThat(evaluate("s3:GetObject", "arn:aws:s3:::c/k", BUYER, List.of(role), List.of(session)).outcome())
                .isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(evaluate("s3:DeleteObject", "arn:aws:s3:::b/k", BUYER, List.of(role), List.of()).outcome())
                .as("no session policy: the role alone decides").isEqualTo(Outcome.ALLOWED);
        assertThat(evaluate("s3:GetObject", "arn:aws:s3:::b/k", BUYER, List.of(), List.of()).outcome())
                .isEqualTo(Outcome.IMPLICIT_DENY);
    }

    @Test
    @DisplayName("a Deny anywhere wins, in the role's policy or the session policy")
    void explicitDeny() {
        String role = policy("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}");
        String session = policy("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}",
                "{\"Sid\":\"NoDeletes\",\"Effect\":\"Deny\",\"Action\":\"s3:Delete*\",\"Resource\":\"*\"}");

        PolicyEvaluator.Decision decision = evaluate("s3:DeleteObject", "arn:aws:s3:::b/k", BUYER, List.of(role), List.of(session));

        assertThat(decision.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(decision.reason()).contains("statement 'NoDeletes' of the session policy #1");
    }

    @Test
    @DisplayName("NotAction and NotResource match everything but what they list; actions ignore case, resources do not")
    void notActionNotResource() {
        String role = policy("{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"NotResource\":\"arn:aws:s3:::secret/*\"}");

        assertThat(evaluate("S3:getobject", "arn:aws:s3:::b/k", BUYER, List.of(role), List.of()).allowed()).isTrue();
        assertThat(evaluate("iam:PassRole", "arn:aws:s3:::b/k", BUYER, List.of(role), List.of()).allowed()).isFalse();
        assertThat(evaluate("s3:GetObject", "arn:aws:s3:::secret/k", BUYER, List.of(role), List.of()).allowed()).isFalse();
        assertThat(evaluate("s3:GetObject", "arn:aws:s3:::SECRET/k", BUYER, List.of(role), List.of()).allowed()).isTrue();
    }

    @Test
    @DisplayName("policy variables come from the request context; their values are literal, and a missing one matches nothing")
    void variables() {
        String role = policy("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":["
                + "\"arn:aws:s3:::b/${idp.example:sub}/*\",\"arn:aws:s3:::b/users/${saml:sub}/*\",\"arn:aws:s3:::b/${aws:username}/*\","
                + "\"arn:aws:s3:::b/star/${*}\"]}");

        assertThat(evaluate("s3:GetObject", "arn:aws:s3:::b/amazon|1/x", BUYER, List.of(role), List.of()).allowed()).isTrue();
        assertThat(evaluate("s3:GetObject", "arn:aws:s3:::b/users/alice/x", BUYER, List.of(role), List.of()).allowed()).isTrue();
        assertThat(evaluate("s3:GetObject", "arn:aws:s3:::b/amazon|2/x", BUYER, List.of(role), List.of()).allowed()).isFalse();
        assertThat(evaluate("s3:GetObject", "arn:aws:s3:::b/star/*", BUYER, List.of(role), List.of()).allowed()).isTrue();
        assertThat(evaluate("s3:GetObject", "arn:aws:s3:::b/star/x", BUYER, List.of(role), List.of()).allowed())
                .as("${*} is a literal asterisk").isFalse();
        Map<String, String> wildcardSub = Map.of("idp.example:sub", "*");
        assertThat(evaluate("s3:GetObject", "arn:aws:s3:::b/amazon|1/x", wildcardSub, List.of(role), List.of()).allowed())
                .as("a variable's value is never a wildcard").isFalse();
    }

    @Test
    @DisplayName("string conditions: s3:prefix with StringLike, PrincipalTag with StringEquals, the negated operators")
    void conditions() {
        String role = policy("{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::b\","
                        + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"${idp.example:sub}/*\",\"public/*\"]}}}",
                "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\","
                        + "\"Condition\":{\"StringEquals\":{\"aws:principaltag/team\":\"blue\"},\"StringNotLike\":{\"s3:prefix\":\"x*\"}}}",
                "{\"Effect\":\"Deny\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\","
                        + "\"Condition\":{\"StringNotEquals\":{\"aws:PrincipalTag/team\":\"${aws:PrincipalTag/team}\"}}}");
        java.util.Map<String, String> withPrefix = new java.util.HashMap<>(BUYER);
        withPrefix.put("s3:prefix", "amazon|1/photos/");

        assertThat(evaluate("s3:ListBucket", "arn:aws:s3:::b", withPrefix, List.of(role), List.of()).allowed()).isTrue();
        withPrefix.put("s3:prefix", "amazon|2/");
        assertThat(evaluate("s3:ListBucket", "arn:aws:s3:::b", withPrefix, List.of(role), List.of()).allowed()).isFalse();
        assertThat(evaluate("s3:ListBucket", "arn:aws:s3:::b", BUYER, List.of(role), List.of()).allowed())
                .as("no s3:prefix in the request: StringLike fails").isFalse();
        assertThat(evaluate("s3:GetObject", "arn:aws:s3:::b/k", BUYER, List.of(role), List.of()).allowed())
                .as("tag matches, and StringNotLike holds for a missing key").isTrue();
        assertThat(evaluate("s3:GetObject", "arn:aws:s3:::b/k", Map.of("aws:PrincipalTag/team", "red"), List.of(role), List.of())
                .allowed()).isFalse();
    }

    @Test
    @DisplayName("anything outside the subset fails closed with a message naming it, even where it would not apply")
    void unsupported() {
        String allowAll = "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}";
        Map<String, String> cases = Map.of(
                policy(allowAll, "{\"Effect\":\"Deny\",\"Action\":\"x:Y\",\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"}}}"),
                "condition operator 'DateGreaterThan'",
                policy(allowAll, "{\"Effect\":\"Allow\",\"Action\":\"x:Y\",\"Resource\":\"*\",\"Condition\":{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":\"a\"}}}"),
                "condition operator 'ForAnyValue:StringEquals'",
                policy("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}"), "statement element 'Principal'",
                policy("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::b/${aws:username, 'x'}\"}"),
                "defaults are not supported",
                "{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"arn:aws:s3:::${aws:userid}\"}}",
                "policy variables in a policy without Version 2012-10-17",
                "{\"Version\":\"2012-10-17\",\"Statement\":[]," + "\"Extra\":1}", "policy element 'Extra'");
        cases.forEach((policy, message) -> {
            PolicyEvaluator.Decision decision = evaluate("s3:GetObject", "arn:aws:s3:::b/k", BUYER, List.of(policy), List.of());
            assertThat(decision.outcome()).as(message).isEqualTo(Outcome.UNSUPPORTED);
            assertThat(decision.reason()).contains(message).contains("fails closed");
        });
    }
}

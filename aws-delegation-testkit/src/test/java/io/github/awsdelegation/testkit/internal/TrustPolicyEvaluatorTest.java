package io.github.awsdelegation.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.iam.PolicyEvaluator.Decision;
import io.github.awsdelegation.testkit.iam.PolicyEvaluator.Outcome;
import io.github.awsdelegation.testkit.internal.TrustPolicyEvaluator.Request;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrustPolicyEvaluatorTest {

    private static final String PROVIDER = "arn:aws:iam::123456789012:oidc-provider/127.0.0.1:9000";
    private static final Request WEB_IDENTITY = new Request(PROVIDER, "sts:AssumeRoleWithWebIdentity",
            Map.of("127.0.0.1:9000:aud", "pet-shop", "127.0.0.1:9000:sub", "auth0|abc"));

    private static String statement(String body) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + body + "]}";
    }

    private static String allow(String condition) {
        return "{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + PROVIDER + "\"},"
                + "\"Action\":\"sts:AssumeRoleWithWebIdentity\"" + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    private static Decision evaluate(String policy) {
        return TrustPolicyEvaluator.evaluate(policy, WEB_IDENTITY);
    }

    @Test
    void evaluate_matchingFederatedPrincipalAndAudience_allowed() {
        assertThat(evaluate(statement(allow("{\"StringEquals\":{\"127.0.0.1:9000:aud\":\"pet-shop\"}}"))).outcome())
                .isEqualTo(Outcome.ALLOWED);
    }

    @Test
    void evaluate_otherAudience_denied() {
        Decision decision = evaluate(statement(allow("{\"StringEquals\":{\"127.0.0.1:9000:aud\":[\"a\",\"b\"]}}")));

        assertThat(decision.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
        assertThat(decision.reason()).contains("no statement");
    }

    @Test
    void evaluate_otherFederatedPrincipal_denied() {
        assertThat(evaluate(statement(allow(null).replace(PROVIDER, PROVIDER + "0"))).outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
    }

    @Test
    void evaluate_conditionKeyOfAnotherProvider_isAbsentSoDenied() {
        assertThat(evaluate(statement(allow("{\"StringEquals\":{\"127.0.0.1:9001:aud\":\"pet-shop\"}}"))).outcome())
                .isEqualTo(Outcome.IMPLICIT_DENY);
    }

    @Test
    void evaluate_conditionKeysAreCaseInsensitive_valuesAreNot() {
        assertThat(evaluate(statement(allow("{\"StringEquals\":{\"127.0.0.1:9000:AUD\":\"pet-shop\"}}"))).allowed()).isTrue();
        assertThat(evaluate(statement(allow("{\"StringEquals\":{\"127.0.0.1:9000:aud\":\"Pet-Shop\"}}"))).allowed()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"auth0|*, true", "auth0|a?c, true", "amazon|*, false", "*, true"})
    void evaluate_stringLikeOnSub_matchesWildcards(String pattern, boolean allowed) {
        assertThat(evaluate(statement(allow("{\"StringLike\":{\"127.0.0.1:9000:sub\":\"" + pattern + "\"}}"))).allowed())
                .isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"sts:AssumeRoleWithWebIdentity, true", "sts:*, true", "STS:assumerolewith*, true", "*, true",
            "sts:AssumeRole, false", "sts:AssumeRoleWith?, false"})
    void evaluate_actionWildcards(String action, boolean allowed) {
        String policy = statement("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"" + action + "\"}");

        assertThat(evaluate(policy).allowed()).isEqualTo(allowed);
    }

    @Test
    void evaluate_matchingDeny_winsOverAllow() {
        String policy = statement(allow(null) + ",{\"Sid\":\"NoAuth0\",\"Effect\":\"Deny\",\"Principal\":\"*\","
                + "\"Action\":\"sts:*\",\"Condition\":{\"StringLike\":{\"127.0.0.1:9000:sub\":\"auth0|*\"}}}");

        Decision decision = evaluate(policy);

        assertThat(decision.outcome()).isEqualTo(Outcome.EXPLICIT_DENY);
        assertThat(decision.reason()).contains("'NoAuth0'");
    }

    @Test
    void evaluate_principalOfOtherTypes_neverMatchesWebIdentity() {
        String policy = statement("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\",\"Service\":\"ec2.amazonaws.com\"},"
                + "\"Action\":\"sts:*\"}");

        assertThat(evaluate(policy).outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"Effect\":\"Allow\",\"NotPrincipal\":\"*\",\"Action\":\"sts:*\"}|statement element 'NotPrincipal'",
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"NotAction\":\"sts:*\"}|statement element 'NotAction'",
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:*\",\"Resource\":\"*\"}|statement element 'Resource'",
        "{\"Effect\":\"allow\",\"Principal\":\"*\",\"Action\":\"sts:*\"}|Effect 'allow'",
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:*\",\"Condition\":{\"StringEqualsIgnoreCase\":{\"x:aud\":\"a\"}}}|Condition operator 'StringEqualsIgnoreCase'",
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:*\",\"Condition\":{\"ForAnyValue:StringLike\":{\"x:aud\":\"a\"}}}|Condition operator 'ForAnyValue:StringLike'",
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:*\",\"Condition\":{\"StringEquals\":{\"aws:SourceIp\":\"1.2.3.4\"}}}|Condition key 'aws:SourceIp'",
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:*\",\"Condition\":{\"StringEquals\":{\"x:amr\":\"a\"}}}|Condition key 'x:amr'",
        "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:*\",\"Condition\":{\"StringLike\":{\"x:sub\":\"${aws:username}\"}}}|policy variable",
        "{\"Effect\":\"Allow\",\"Principal\":{\"Group\":\"x\"},\"Action\":\"sts:*\"}|Principal type 'Group'"})
    void evaluate_outsideTheSubset_failsClosedNamingTheElement(String statement, String element) {
        // An allowing statement beside the unsupported one does not help: the whole policy fails closed.
        Decision decision = evaluate(statement(allow(null) + "," + statement));

        assertThat(decision.outcome()).isEqualTo(Outcome.UNSUPPORTED);
        assertThat(decision.reason()).contains(element).contains("fails closed");
    }

    @Test
    void evaluate_notJson_unsupported() {
        assertThat(evaluate("{oops").outcome()).isEqualTo(Outcome.UNSUPPORTED);
    }

    @Test
    void evaluate_singleStatementObject_isAccepted() {
        assertThat(evaluate("{\"Statement\":" + allow(null) + "}").allowed()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void evaluate_samlConditionKeys() {
        String policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::123456789012:saml-provider/p\"},"
                + "\"Action\":\"sts:AssumeRoleWithSAML\",\"Condition\":{\"StringEquals\":{\"SAML:aud\":\"https://signin.aws.amazon.com/saml\","
                + "\"SAML:sub_type\":\"persistent\",\"SAML:iss\":\"https://idp.example.com/saml\"},\"StringLike\":{\"SAML:sub\":\"auth0|*\"}}}]}";
        java.util.Map<String, String> keys = new java.util.HashMap<>(java.util.Map.of("saml:aud", "https://signin.aws.amazon.com/saml",
                "saml:sub", "auth0|42", "saml:sub_type", "persistent", "saml:iss", "https://idp.example.com/saml",
                "saml:namequalifier", "q"));

        org.assertj.core.api.Assertions.assertThat(TrustPolicyEvaluator.evaluate(policy, new TrustPolicyEvaluator.Request(
                "arn:aws:iam::123456789012:saml-provider/p", "sts:AssumeRoleWithSAML", keys)).allowed()).isTrue();
        keys.put("saml:sub", "google-oauth2|42");
        org.assertj.core.api.Assertions.assertThat(TrustPolicyEvaluator.evaluate(policy, new TrustPolicyEvaluator.Request(
                "arn:aws:iam::123456789012:saml-provider/p", "sts:AssumeRoleWithSAML", keys)).outcome())
                .isEqualTo(Outcome.IMPLICIT_DENY);
        org.assertj.core.api.Assertions.assertThat(TrustPolicyEvaluator.evaluate(policy.replace("SAML:iss", "SAML:edupersonaffiliation"),
                new TrustPolicyEvaluator.Request("arn:aws:iam::123456789012:saml-provider/p", "sts:AssumeRoleWithSAML", keys))
                .outcome()).as("keys outside the subset fail closed").isEqualTo(Outcome.UNSUPPORTED);
    }
}

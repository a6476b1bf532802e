package io.github.awsdelegation.testkit.internal;

import io.github.awsdelegation.testkit.iam.PolicyEvaluator.Decision;
import io.github.awsdelegation.testkit.iam.PolicyEvaluator.Outcome;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a role trust policy for a web identity or SAML request, in a small subset of the IAM policy grammar:
 * <ul>
 *   <li>{@code Version} ({@code 2012-10-17} or {@code 2008-10-17}), {@code Id}, {@code Statement} (an object or
 *       an array);</li>
 *   <li>per statement {@code Sid}, {@code Effect} ({@code Allow} / {@code Deny}), {@code Principal} ({@code "*"},
 *       or an object whose {@code Federated} entry is matched exactly against the OIDC provider ARN, and whose
 *       {@code AWS} entry, for sts:AssumeRole, against the caller's user or role ARN, its account's {@code :root} ARN
 *       or account id; {@code Service} and {@code CanonicalUser} entries never match), {@code Action} (strings with
 *       {@code *} and {@code ?} wildcards, case-insensitive) and {@code Condition};</li>
 *   <li>condition operators {@code StringEquals} and {@code StringLike} on the keys {@code <provider>:aud} and
 *       {@code <provider>:sub} of web identity, and {@code SAML:aud}, {@code SAML:sub}, {@code SAML:sub_type},
 *       {@code SAML:iss} and {@code SAML:namequalifier} of SAML (keys case-insensitive; a key the request does not
 *       have is absent, so it does not match).</li>
 * </ul>
 * Anything else ({@code NotPrincipal}, {@code NotAction}, {@code Resource}, other operators or keys,
 * {@code ForAnyValue:}, {@code ...IfExists}, policy variables) makes the evaluation fail closed, naming the
 * element, even in a statement that would not apply. A matching Deny wins over any Allow; with no matching
 * Allow the request is denied. The answer is a {@link Decision} as the permission evaluator's, and the document is read by {@link PolicyDocument}, as permission policies are.
 */
public final class TrustPolicyEvaluator {

    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Principal", "Action", "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("*", "Federated", "AWS", "Service", "CanonicalUser");
    private static final Set<String> OPERATORS = Set.of("StringEquals", "StringLike");
    private static final Set<String> SAML_KEYS = Set.of("saml:aud", "saml:sub", "saml:sub_type", "saml:iss", "saml:namequalifier");

    private TrustPolicyEvaluator() {
    }

    /**
     * The request the trust policy is asked about.
     *
     * @param federatedPrincipal the OIDC or SAML provider ARN the token or assertion came through
     * @param action the action, for example {@code sts:AssumeRoleWithWebIdentity}
     * @param conditionKeys the request's condition keys, lower-cased names (e.g. {@code 127.0.0.1:8080:aud})
     * @param awsPrincipals for sts:AssumeRole, the ARNs a {@code Principal.AWS} entry may name to match the caller (the
     *     caller's user or role ARN, its account's {@code :root} ARN, the account id); empty otherwise
     */
    public record Request(String federatedPrincipal, String action, Map<String, String> conditionKeys,
            List<String> awsPrincipals) {

        /**
         * A request of a federated principal (web identity, SAML).
         *
         * @param federatedPrincipal the provider ARN the token or assertion came through
         * @param action the action
         * @param conditionKeys the request's condition keys, lower-cased names
         */
        public Request(String federatedPrincipal, String action, Map<String, String> conditionKeys) {
            this(federatedPrincipal, action, conditionKeys, List.of());
        }
    }

    /** Evaluates {@code policyJson} for {@code request}; a policy that is not valid JSON is unsupported. */
    public static Decision evaluate(String policyJson, Request request) {
        List<PolicyDocument.Statement> statements;
        try {
            statements = PolicyDocument.parse(policyJson, STATEMENT_ELEMENTS, "trust policy").statements();
            statements.forEach(TrustPolicyEvaluator::checkStatement);
        } catch (PolicyDocument.Unsupported e) {
            return new Decision(Outcome.UNSUPPORTED, "LocalSts does not support " + e.element() + "; it fails closed");
        }
        String allowedBy = null;
        for (PolicyDocument.Statement statement : statements) {
            if (!matches(statement, request)) {
                continue;
            }
            if ("Deny".equals(statement.effect())) {
                return new Decision(Outcome.EXPLICIT_DENY, statement.label() + " denies " + request.action());
            }
            allowedBy = statement.label();
        }
        return allowedBy != null ? new Decision(Outcome.ALLOWED, allowedBy + " allows " + request.action())
                : new Decision(Outcome.IMPLICIT_DENY, "no statement of the trust policy allows " + request.action()
                        + " for " + request.federatedPrincipal());
    }

    // What the trust-policy subset adds to the grammar: a Principal of known types, an Action, and only the
    // operators and keys of web identity and SAML federation, without policy variables.
    private static void checkStatement(PolicyDocument.Statement statement) {
        String where = " (in " + statement.label() + ")";
        if (statement.principal() == null) {
            throw new PolicyDocument.Unsupported("statement without Principal" + where);
        }
        for (String type : statement.principal().keySet()) {
            if (!PRINCIPAL_TYPES.contains(type)) {
                throw new PolicyDocument.Unsupported("Principal type '" + type + "'" + where);
            }
        }
        if (statement.actions() == null) {
            throw new PolicyDocument.Unsupported("statement without Action" + where);
        }
        for (PolicyDocument.Condition condition : statement.conditions()) {
            if (!OPERATORS.contains(condition.operator())) {
                throw new PolicyDocument.Unsupported("Condition operator '" + condition.operator() + "'" + where);
            }
            String key = condition.key().toLowerCase(Locale.ROOT);
            if (!key.endsWith(":aud") && !key.endsWith(":sub") && !SAML_KEYS.contains(key) || key.startsWith("aws:")) {
                throw new PolicyDocument.Unsupported("Condition key '" + condition.key() + "'" + where);
            }
            if (condition.values().stream().anyMatch(value -> value.contains("${"))) {
                throw new PolicyDocument.Unsupported("policy variable in Condition." + condition.operator() + "."
                        + condition.key() + where);
            }
        }
    }

    private static boolean matches(PolicyDocument.Statement statement, Request request) {
        return principalMatches(statement.principal(), request)
                && statement.actions().stream().anyMatch(a -> PolicyDocument.glob(a, request.action(), true))
                && conditionsHold(statement.conditions(), request.conditionKeys());
    }

    private static boolean principalMatches(Map<String, List<String>> principal, Request request) {
        if (principal.containsKey("*")) {
            return true;
        }
        List<String> federated = principal.getOrDefault("Federated", List.of());
        if (request.federatedPrincipal() != null && federated.contains(request.federatedPrincipal())) {
            return true;
        }
        return principal.getOrDefault("AWS", List.of()).stream().anyMatch(request.awsPrincipals()::contains);
    }

    private static boolean conditionsHold(List<PolicyDocument.Condition> conditions, Map<String, String> context) {
        for (PolicyDocument.Condition condition : conditions) {
            boolean like = "StringLike".equals(condition.operator());
            String actual = context.get(condition.key().toLowerCase(Locale.ROOT));
            if (actual == null || condition.values().stream().noneMatch(e -> like ? PolicyDocument.glob(e, actual, false) : e.equals(actual))) {
                return false;
            }
        }
        return true;
    }
}

package io.github.awsdelegation.testkit.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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
 * Allow the request is denied.
 */
public final class TrustPolicyEvaluator {

    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    private static final Set<String> OPERATORS = Set.of("StringEquals", "StringLike");
    private static final Set<String> SAML_KEYS = Set.of("saml:aud", "saml:sub", "saml:sub_type", "saml:iss", "saml:namequalifier");

    private TrustPolicyEvaluator() {
    }

    /** The outcome of an evaluation. */
    public enum Outcome {
        /** A statement allows the request and none denies it. */
        ALLOWED,
        /** A statement denies the request, or none allows it. */
        DENIED,
        /** The policy uses something outside the supported subset. */
        UNSUPPORTED
    }

    /**
     * The outcome and, for {@link Outcome#DENIED} and {@link Outcome#UNSUPPORTED}, why.
     *
     * @param outcome the outcome
     * @param reason a sentence naming the deciding statement or the unsupported element; empty when allowed
     */
    public record Decision(Outcome outcome, String reason) {

        /** Returns whether the request is allowed. */
        public boolean allowed() {
            return outcome == Outcome.ALLOWED;
        }
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
        Map<String, Object> policy;
        try {
            policy = JSONObjectUtils.parse(policyJson);
        } catch (ParseException e) {
            return new Decision(Outcome.UNSUPPORTED, "the trust policy is not valid JSON");
        }
        try {
            List<Map<String, Object>> statements = statements(policy);
            boolean allowed = false;
            String allowSid = null;
            for (Map<String, Object> statement : statements) {
                checkStatement(statement);
            }
            for (int i = 0; i < statements.size(); i++) {
                Map<String, Object> statement = statements.get(i);
                if (!matches(statement, request)) {
                    continue;
                }
                String sid = statement.get("Sid") instanceof String s ? "'" + s + "'" : "#" + (i + 1);
                if ("Deny".equals(statement.get("Effect"))) {
                    return new Decision(Outcome.DENIED, "statement " + sid + " of the trust policy denies " + request.action());
                }
                allowed = true;
                allowSid = sid;
            }
            return allowed ? new Decision(Outcome.ALLOWED, "statement " + allowSid + " allows " + request.action())
                    : new Decision(Outcome.DENIED, "no statement of the trust policy allows " + request.action()
                            + " for " + request.federatedPrincipal());
        } catch (Unsupported e) {
            return new Decision(Outcome.UNSUPPORTED, e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> policy) {
        for (String key : policy.keySet()) {
            if (!Set.of("Version", "Id", "Statement").contains(key)) {
                throw new Unsupported("policy element '" + key + "'");
            }
        }
        Object version = policy.get("Version");
        if (version != null && !VERSIONS.contains(version)) {
            throw new Unsupported("Version '" + version + "'");
        }
        Object statement = policy.get("Statement");
        if (statement instanceof Map<?, ?> single) {
            return List.of((Map<String, Object>) single);
        }
        if (statement instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof Map<?, ?>)) {
                    throw new Unsupported("Statement entry that is not an object");
                }
            }
            return (List<Map<String, Object>>) (List<?>) list;
        }
        throw new Unsupported("missing or malformed Statement");
    }

    private static void checkStatement(Map<String, Object> statement) {
        for (String key : statement.keySet()) {
            if (!Set.of("Sid", "Effect", "Principal", "Action", "Condition").contains(key)) {
                throw new Unsupported("statement element '" + key + "'");
            }
        }
        Object effect = statement.get("Effect");
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            throw new Unsupported("Effect '" + effect + "' (use Allow or Deny)");
        }
        Object principal = statement.get("Principal");
        if (principal == null) {
            throw new Unsupported("statement without Principal");
        }
        if (principal instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!Set.of("Federated", "AWS", "Service", "CanonicalUser").contains(String.valueOf(entry.getKey()))) {
                    throw new Unsupported("Principal type '" + entry.getKey() + "'");
                }
                strings(entry.getValue(), "Principal." + entry.getKey());
            }
        } else if (!"*".equals(principal)) {
            throw new Unsupported("Principal '" + principal + "'");
        }
        if (statement.get("Action") == null) {
            throw new Unsupported("statement without Action");
        }
        strings(statement.get("Action"), "Action");
        Object condition = statement.get("Condition");
        if (condition == null) {
            return;
        }
        if (!(condition instanceof Map<?, ?> operators)) {
            throw new Unsupported("Condition that is not an object");
        }
        for (Map.Entry<?, ?> operator : operators.entrySet()) {
            String name = String.valueOf(operator.getKey());
            if (!OPERATORS.contains(name)) {
                throw new Unsupported("Condition operator '" + name + "'");
            }
            if (!(operator.getValue() instanceof Map<?, ?> keys)) {
                throw new Unsupported("Condition." + name + " that is not an object");
            }
            for (Map.Entry<?, ?> key : keys.entrySet()) {
                String keyName = String.valueOf(key.getKey()).toLowerCase(Locale.ROOT);
                if (!keyName.endsWith(":aud") && !keyName.endsWith(":sub") && !SAML_KEYS.contains(keyName)
                        || keyName.startsWith("aws:")) {
                    throw new Unsupported("Condition key '" + key.getKey() + "'");
                }
                for (String value : strings(key.getValue(), "Condition." + name + "." + key.getKey())) {
                    if (value.contains("${")) {
                        throw new Unsupported("policy variable in Condition." + name + "." + key.getKey());
                    }
                }
            }
        }
    }

    private static boolean matches(Map<String, Object> statement, Request request) {
        return principalMatches(statement.get("Principal"), request)
                && strings(statement.get("Action"), "Action").stream().anyMatch(a -> glob(a, request.action(), true))
                && conditionsHold(statement.get("Condition"), request.conditionKeys());
    }

    private static boolean principalMatches(Object principal, Request request) {
        if ("*".equals(principal)) {
            return true;
        }
        Object value = ((Map<?, ?>) principal).get("Federated");
        if (value != null && request.federatedPrincipal() != null
                && strings(value, "Principal.Federated").contains(request.federatedPrincipal())) {
            return true;
        }
        Object aws = ((Map<?, ?>) principal).get("AWS");
        return aws != null && strings(aws, "Principal.AWS").stream().anyMatch(request.awsPrincipals()::contains);
    }

    private static boolean conditionsHold(Object condition, Map<String, String> context) {
        if (condition == null) {
            return true;
        }
        for (Map.Entry<?, ?> operator : ((Map<?, ?>) condition).entrySet()) {
            boolean like = "StringLike".equals(operator.getKey());
            for (Map.Entry<?, ?> key : ((Map<?, ?>) operator.getValue()).entrySet()) {
                String actual = context.get(String.valueOf(key.getKey()).toLowerCase(Locale.ROOT));
                if (actual == null) {
                    return false;
                }
                List<String> expected = strings(key.getValue(), "Condition");
                boolean any = expected.stream().anyMatch(e -> like ? glob(e, actual, false) : e.equals(actual));
                if (!any) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<String> strings(Object value, String element) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof Boolean || value instanceof Number) {
            return List.of(String.valueOf(value));
        }
        if (value instanceof List<?> list && !list.isEmpty()) {
            return list.stream().map(item -> {
                if (item instanceof String || item instanceof Boolean || item instanceof Number) {
                    return String.valueOf(item);
                }
                throw new Unsupported(element + " value that is not a string");
            }).toList();
        }
        throw new Unsupported(element + " that is not a string or a list of strings");
    }

    /** Matches IAM's {@code *} (any run) and {@code ?} (one character) wildcards. */
    static boolean glob(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(regex.toString(), flags).matcher(value).matches();
    }

    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String element) {
            super("LocalSts does not support " + element + " in trust policies (it fails closed)", null, false, false);
        }
    }
}

package io.github.awsdelegation.testkit.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The testkit's one reader of IAM policy JSON (IAM User Guide, "IAM JSON policy element reference"), feeding both
 * the trust-policy evaluator of the STS and the permission-policy evaluator of the local S3 and API Gateway. It reads
 * the grammar — {@code Version}, {@code Id}, {@code Statement} (an object or an array); per statement {@code Sid},
 * {@code Effect}, {@code Principal}/{@code NotPrincipal}, {@code Action}/{@code NotAction},
 * {@code Resource}/{@code NotResource} and {@code Condition} — and each evaluator says which statement elements it
 * supports; anything else is {@link Unsupported}, naming the element, so that an evaluator fails closed.
 *
 * <p>Why not the AWS SDK's {@code IamPolicy.fromJson}: it silently drops elements it does not know (a misspelt
 * {@code Effect} key, an extra top-level element), which would make an evaluator fail open where IAM refuses the
 * policy, and it rejects the numbers and booleans IAM accepts as condition values. The model here is as small as the
 * evaluators need.
 */
public final class PolicyDocument {

    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    private static final Set<String> POLICY_ELEMENTS = Set.of("Version", "Id", "Statement");

    /** In a {@link #glob} pattern, quotes the next character. */
    public static final char LITERAL_MARK = '\u0000';

    private final String version;
    private final List<Statement> statements;

    private PolicyDocument(String version, List<Statement> statements) {
        this.version = version;
        this.statements = List.copyOf(statements);
    }

    /** Returns {@code Version}, or null when absent. */
    public String version() {
        return version;
    }

    /** Returns the statements in document order. */
    public List<Statement> statements() {
        return statements;
    }

    /**
     * One statement.
     *
     * @param label how messages name it: {@code statement 'sid'} or {@code statement #n}, and the policy's name
     * @param sid {@code Sid}, or null
     * @param effect {@code Allow} or {@code Deny}
     * @param principal {@code Principal} (or {@code NotPrincipal}) by type, {@code "*"} as the type {@code *}; null
     *     when absent
     * @param notPrincipal whether it was {@code NotPrincipal}
     * @param actions {@code Action} or {@code NotAction}; null when absent
     * @param notAction whether it was {@code NotAction}
     * @param resources {@code Resource} or {@code NotResource}; null when absent
     * @param notResource whether it was {@code NotResource}
     * @param conditions the {@code Condition} block, one entry per operator and key
     */
    public record Statement(String label, String sid, String effect, Map<String, List<String>> principal,
            boolean notPrincipal, List<String> actions, boolean notAction, List<String> resources, boolean notResource,
            List<Condition> conditions) {
    }

    /**
     * One operator and key of a {@code Condition} block.
     *
     * @param operator for example {@code StringLike}, as written
     * @param key the condition key, as written
     * @param values the values (numbers and booleans as their text); any of them may match
     */
    public record Condition(String operator, String key, List<String> values) {
    }

    /** An element outside the grammar or outside what the evaluator supports. */
    public static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** Creates one naming {@code element}, for example {@code statement element 'NotPrincipal'}. */
        public Unsupported(String element) {
            super(element, null, false, false);
        }

        /** Returns the element, for the evaluator's message. */
        public String element() {
            return getMessage();
        }
    }

    /**
     * Reads a policy.
     *
     * @param json the policy document
     * @param statementElements the statement elements the evaluator supports
     * @param policyName how messages name the policy, for example {@code permission policy #1 of the role}
     * @throws Unsupported naming the first element outside {@code statementElements} or the grammar
     */
    public static PolicyDocument parse(String json, Set<String> statementElements, String policyName) {
        Map<String, Object> policy;
        try {
            policy = JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            throw new Unsupported(policyName + " that is not valid JSON");
        }
        String where = " (in " + policyName + ")";
        for (String key : policy.keySet()) {
            if (!POLICY_ELEMENTS.contains(key)) {
                throw new Unsupported("policy element '" + key + "'" + where);
            }
        }
        Object version = policy.get("Version");
        if (version != null && !VERSIONS.contains(version)) {
            throw new Unsupported("Version '" + version + "'" + where);
        }
        List<Map<?, ?>> raw = new ArrayList<>();
        Object statement = policy.get("Statement");
        if (statement instanceof Map<?, ?> single) {
            raw.add(single);
        } else if (statement instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> map)) {
                    throw new Unsupported("Statement entry that is not an object" + where);
                }
                raw.add(map);
            }
        } else {
            throw new Unsupported("missing or malformed Statement" + where);
        }
        List<Statement> statements = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            statements.add(statement(raw.get(i), i + 1, statementElements, policyName));
        }
        return new PolicyDocument((String) version, statements);
    }

    private static Statement statement(Map<?, ?> s, int number, Set<String> supported, String policyName) {
        String sid = s.get("Sid") instanceof String text ? text : null;
        String label = "statement " + (sid != null ? "'" + sid + "'" : "#" + number) + " of the " + policyName;
        String where = " (in " + label + ")";
        for (Object key : s.keySet()) {
            if (!supported.contains(String.valueOf(key))) {
                throw new Unsupported("statement element '" + key + "'" + where);
            }
        }
        Object effect = s.get("Effect");
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            throw new Unsupported("Effect '" + effect + "' (in " + label + "; use Allow or Deny)");
        }
        if (s.containsKey("Principal") && s.containsKey("NotPrincipal")) {
            throw new Unsupported("a statement with both Principal and NotPrincipal" + where);
        }
        boolean notPrincipal = s.containsKey("NotPrincipal");
        Map<String, List<String>> principal = principal(s.get(notPrincipal ? "NotPrincipal" : "Principal"),
                notPrincipal ? "NotPrincipal" : "Principal", where);
        boolean notAction = s.containsKey("NotAction");
        if (s.containsKey("Action") && notAction) {
            throw new Unsupported("a statement with both Action and NotAction" + where);
        }
        List<String> actions = optionalStrings(s, notAction ? "NotAction" : "Action", where);
        boolean notResource = s.containsKey("NotResource");
        if (s.containsKey("Resource") && notResource) {
            throw new Unsupported("a statement with both Resource and NotResource" + where);
        }
        List<String> resources = optionalStrings(s, notResource ? "NotResource" : "Resource", where);
        return new Statement(label, sid, (String) effect, principal, notPrincipal, actions, notAction, resources,
                notResource, conditions(s.get("Condition"), where));
    }

    private static Map<String, List<String>> principal(Object value, String element, String where) {
        if (value == null) {
            return null;
        }
        if ("*".equals(value)) {
            return Map.of("*", List.of("*"));
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new Unsupported(element + " '" + value + "'" + where);
        }
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String type = String.valueOf(entry.getKey());
            byType.put(type, strings(entry.getValue(), element + "." + type, where, false));
        }
        return byType;
    }

    private static List<Condition> conditions(Object condition, String where) {
        if (condition == null) {
            return List.of();
        }
        if (!(condition instanceof Map<?, ?> operators)) {
            throw new Unsupported("Condition that is not an object" + where);
        }
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<?, ?> operator : operators.entrySet()) {
            String name = String.valueOf(operator.getKey());
            if (!(operator.getValue() instanceof Map<?, ?> keys)) {
                throw new Unsupported("Condition." + name + " that is not an object" + where);
            }
            for (Map.Entry<?, ?> key : keys.entrySet()) {
                String keyName = String.valueOf(key.getKey());
                conditions.add(new Condition(name, keyName,
                        strings(key.getValue(), "Condition." + name + "." + keyName, where, true)));
            }
        }
        return conditions;
    }

    private static List<String> optionalStrings(Map<?, ?> statement, String element, String where) {
        return statement.containsKey(element) ? strings(statement.get(element), element, where, false) : null;
    }

    // IAM accepts numbers and booleans as condition values ("aws:MultiFactorAuthPresent": true), as their text.
    private static List<String> strings(Object value, String element, String where, boolean scalars) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (scalars && (value instanceof Boolean || value instanceof Number)) {
            return List.of(String.valueOf(value));
        }
        if (value instanceof List<?> list && !list.isEmpty()) {
            List<String> out = new ArrayList<>();
            for (Object item : list) {
                if (item instanceof String || scalars && (item instanceof Boolean || item instanceof Number)) {
                    out.add(String.valueOf(item));
                } else {
                    throw new Unsupported(element + " value that is not a string" + where);
                }
            }
            return out;
        }
        throw new Unsupported(element + " that is not a string or a list of strings" + where);
    }

    /**
     * Matches IAM's {@code *} (any run, including none) and {@code ?} (one character) wildcards; {@link #LITERAL_MARK}
     * makes the next character literal (how an evaluator keeps a policy variable's value from acting as a wildcard).
     */
    public static boolean glob(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == LITERAL_MARK && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                continue;
            }
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(regex.toString(), flags).matcher(value).matches();
    }
}

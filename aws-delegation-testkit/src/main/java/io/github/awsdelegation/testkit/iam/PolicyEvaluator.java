package io.github.awsdelegation.testkit.iam;

import io.github.awsdelegation.testkit.internal.PolicyDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a request made with temporary credentials is allowed, the way IAM combines the policies of an
 * assumed-role session (IAM User Guide, "Policy evaluation logic"): an explicit {@code Deny} in any policy wins;
 * otherwise the role's permission policies must allow the request and, when the session has session policies
 * (an inline policy and managed policy ARNs), so must one of them — the effective permissions are the
 * intersection of the two.
 *
 * <p>It evaluates a documented subset of the IAM policy grammar:
 * <ul>
 *   <li>policy: {@code Version} ({@code 2012-10-17}; {@code 2008-10-17} without policy variables), {@code Id},
 *       {@code Statement} (an object or an array);</li>
 *   <li>statement: {@code Sid}, {@code Effect} ({@code Allow}/{@code Deny}), {@code Action} or {@code NotAction},
 *       {@code Resource} or {@code NotResource} (strings or lists, {@code *} and {@code ?} wildcards; actions
 *       compared without regard to case, resources with), {@code Condition};</li>
 *   <li>policy variables in resources and condition values: any key of the request context, such as
 *       {@code ${aws:userid}}, {@code ${aws:PrincipalTag/team}}, {@code ${saml:sub}} or
 *       {@code ${<provider>:sub}}, and the escapes {@code ${*}}, {@code ${?}}, {@code ${$}}; a variable the
 *       context lacks makes the element not match, as in IAM;</li>
 *   <li>condition operators {@code StringEquals}, {@code StringNotEquals}, {@code StringLike},
 *       {@code StringNotLike} on any key (keys compared without regard to case; several values mean any of them,
 *       several keys and operators must all hold; a missing key fails the positive operators and satisfies the
 *       negated ones).</li>
 * </ul>
 * Anything else — {@code Principal} in an identity or session policy, other condition operators,
 * {@code ForAnyValue:}/{@code ForAllValues:} qualifiers, {@code ...IfExists}, variable defaults
 * ({@code ${key, 'default'}}) — fails closed: the decision is {@link Outcome#UNSUPPORTED}, with a message naming
 * the element, even when the element sits in a statement that would not apply.
 *
 * <p>Stateless and thread-safe.
 */
public final class PolicyEvaluator {

    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Action", "NotAction", "Resource",
            "NotResource", "Condition");
    private static final Set<String> OPERATORS = Set.of("StringEquals", "StringNotEquals", "StringLike", "StringNotLike");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private PolicyEvaluator() {
    }

    /** What the evaluation decided. */
    public enum Outcome {
        /** The role's policies (and the session policies, if any) allow the request and nothing denies it. */
        ALLOWED,
        /** No statement allows the request (in the role's policies, or in the session policies). */
        IMPLICIT_DENY,
        /** A statement denies the request. */
        EXPLICIT_DENY,
        /** A policy uses something outside the supported subset; the request is denied. */
        UNSUPPORTED
    }

    /**
     * The outcome, and a sentence that says why (which statement, which policy, or which unsupported element).
     *
     * @param outcome the outcome
     * @param reason why; never empty
     */
    public record Decision(Outcome outcome, String reason) {

        /** Returns whether the request is allowed. */
        public boolean allowed() {
            return outcome == Outcome.ALLOWED;
        }
    }

    /**
     * One request to authorise.
     *
     * @param action   the action, e.g. {@code s3:GetObject} or {@code execute-api:Invoke}
     * @param resource the resource ARN, e.g. {@code arn:aws:s3:::pet-shop/amazon|1/notes.txt}
     * @param context  the request context: condition keys and policy variables, such as {@code aws:userid},
     *                 {@code aws:PrincipalTag/team} or {@code s3:prefix}; looked up without regard to case
     */
    public record Request(String action, String resource, Map<String, String> context) {

        /** Copies the context into a case-insensitive map. */
        public Request {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(resource, "resource");
            TreeMap<String, String> keys = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            context.forEach((k, v) -> {
                if (v != null) {
                    keys.put(k, v);
                }
            });
            context = java.util.Collections.unmodifiableMap(keys);
        }
    }

    /**
     * Evaluates a request against a session's policies.
     *
     * @param request          the request
     * @param identityPolicies the role's permission policies (JSON); none means nothing is allowed
     * @param sessionPolicies  the session's policies (the inline session policy and the documents of its managed
     *                         policy ARNs); empty when the session has none, in which case the role's policies alone
     *                         decide
     */
    public static Decision evaluate(Request request, List<String> identityPolicies, List<String> sessionPolicies) {
        List<Parsed> identity = new ArrayList<>();
        List<Parsed> session = new ArrayList<>();
        try {
            for (int i = 0; i < identityPolicies.size(); i++) {
                identity.add(parse(identityPolicies.get(i), "permission policy #" + (i + 1) + " of the role"));
            }
            for (int i = 0; i < sessionPolicies.size(); i++) {
                session.add(parse(sessionPolicies.get(i), "session policy #" + (i + 1)));
            }
        } catch (PolicyDocument.Unsupported e) {
            return unsupported(e);
        }
        List<Parsed> all = new ArrayList<>(identity);
        all.addAll(session);
        try {
            for (Parsed policy : all) {
                String deny = policy.firstMatch(request, "Deny");
                if (deny != null) {
                    return new Decision(Outcome.EXPLICIT_DENY, deny + " denies " + request.action() + " on " + request.resource());
                }
            }
            String allowedBy = null;
            for (Parsed policy : identity) {
                allowedBy = policy.firstMatch(request, "Allow");
                if (allowedBy != null) {
                    break;
                }
            }
            if (allowedBy == null) {
                return new Decision(Outcome.IMPLICIT_DENY, "no statement of the role's permission policies allows "
                        + request.action() + " on " + request.resource());
            }
            if (!session.isEmpty()) {
                String sessionAllow = null;
                for (Parsed policy : session) {
                    sessionAllow = policy.firstMatch(request, "Allow");
                    if (sessionAllow != null) {
                        break;
                    }
                }
                if (sessionAllow == null) {
                    return new Decision(Outcome.IMPLICIT_DENY, "the role allows " + request.action() + " on "
                            + request.resource() + ", but no statement of the session policy does");
                }
                allowedBy = allowedBy + " and " + sessionAllow;
            }
            return new Decision(Outcome.ALLOWED, allowedBy + " allow " + request.action());
        } catch (PolicyDocument.Unsupported e) {
            return unsupported(e);
        }
    }

    private static Parsed parse(String json, String name) {
        PolicyDocument document = PolicyDocument.parse(json, STATEMENT_ELEMENTS, name);
        boolean variables = "2012-10-17".equals(document.version());
        List<Statement> parsed = new ArrayList<>();
        for (PolicyDocument.Statement statement : document.statements()) {
            parsed.add(Statement.of(statement, variables));
        }
        return new Parsed(parsed);
    }

    private static Decision unsupported(PolicyDocument.Unsupported e) {
        return new Decision(Outcome.UNSUPPORTED, "the testkit's IAM evaluator does not support " + e.element()
                + "; it fails closed");
    }

    private record Parsed(List<Statement> statements) {

        /** Returns the label of the first statement with this effect that matches, or null. */
        String firstMatch(Request request, String effect) {
            for (Statement statement : statements) {
                if (statement.effect().equals(effect) && statement.matches(request)) {
                    return statement.label();
                }
            }
            return null;
        }
    }

        private record Statement(String label, String effect, List<String> actions, boolean notAction, List<String> resources,
            boolean notResource, List<PolicyDocument.Condition> conditions, boolean variables) {

        static Statement of(PolicyDocument.Statement s, boolean variables) {
            String label = s.label();
            if (s.actions() == null) {
                throw new PolicyDocument.Unsupported("a statement without exactly one of Action and NotAction (" + label + ")");
            }
            if (s.resources() == null) {
                throw new PolicyDocument.Unsupported("a statement without exactly one of Resource and NotResource (" + label + ")");
            }
            for (String resource : s.resources()) {
                checkVariables(resource, label, variables);
            }
            for (PolicyDocument.Condition condition : s.conditions()) {
                if (!OPERATORS.contains(condition.operator())) {
                    throw new PolicyDocument.Unsupported("condition operator '" + condition.operator() + "' (in " + label
                            + "; supported: StringEquals, StringNotEquals, StringLike, StringNotLike)");
                }
                for (String value : condition.values()) {
                    checkVariables(value, label, variables);
                }
            }
            return new Statement(label, s.effect(), s.actions(), s.notAction(), s.resources(), s.notResource(),
                    s.conditions(), variables);
        }

        boolean matches(Request request) {
            boolean actionListed = actions.stream().anyMatch(a -> glob(a, request.action(), true));
            if (actionListed == notAction) {
                return false;
            }
            boolean resourceListed = false;
            for (String resource : resources) {
                String pattern = resolve(resource, request.context(), true);
                if (pattern != null && PolicyDocument.glob(pattern, request.resource(), false)) {
                    resourceListed = true;
                    break;
                }
            }
            if (resourceListed == notResource) {
                return false;
            }
            for (PolicyDocument.Condition condition : conditions) {
                if (!holds(condition, request.context())) {
                    return false;
                }
            }
            return true;
        }

        private boolean holds(PolicyDocument.Condition condition, Map<String, String> context) {
            String actual = context.get(condition.key());
            boolean negated = condition.operator().contains("Not");
            if (actual == null) {
                return negated;
            }
            boolean like = condition.operator().endsWith("Like");
            boolean any = false;
            for (String value : condition.values()) {
                String expected = resolve(value, context, like);
                if (expected == null) {
                    continue;
                }
                if (like ? PolicyDocument.glob(expected, actual, false) : expected.equals(actual)) {
                    any = true;
                    break;
                }
            }
            return negated != any;
        }

        /**
         * Substitutes policy variables. For a pattern (resources, StringLike), the result is an internal pattern in
         * which variable values and escaped wildcards are literal; returns null when a variable is missing.
         */
        private String resolve(String value, Map<String, String> context, boolean pattern) {
            if (!variables) {
                return value;
            }
            Matcher m = VARIABLE.matcher(value);
            StringBuilder out = new StringBuilder();
            int last = 0;
            while (m.find()) {
                out.append(value, last, m.start());
                String name = m.group(1);
                String replacement = switch (name) {
                    case "*" -> "*";
                    case "?" -> "?";
                    case "$" -> "$";
                    default -> context.get(name);
                };
                if (replacement == null) {
                    return null;
                }
                out.append(pattern ? literal(replacement) : replacement);
                last = m.end();
            }
            out.append(value.substring(last));
            return out.toString();
        }
    }

    // Pattern syntax of PolicyDocument.glob: '*' and '?' are wildcards, and LITERAL_MARK quotes the next character.

    private static String literal(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(PolicyDocument.LITERAL_MARK).append(c);
        }
        return out.toString();
    }

    private static void checkVariables(String value, String label, boolean variables) {
        if (!variables) {
            if (value.contains("${")) {
                throw new PolicyDocument.Unsupported("policy variables in a policy without Version 2012-10-17 (in " + label + ")");
            }
            return;
        }
        Matcher m = VARIABLE.matcher(value);
        while (m.find()) {
            if (m.group(1).contains(",") || m.group(1).isBlank()) {
                throw new PolicyDocument.Unsupported("policy variable '" + m.group() + "' (in " + label + "; defaults are not supported)");
            }
        }
    }

    /** Matches IAM's {@code *} (any run, including none) and {@code ?} (one character) wildcards. */
    public static boolean glob(String pattern, String value, boolean ignoreCase) {
        return PolicyDocument.glob(pattern, value, ignoreCase);
    }
}

package io.github.awsdelegation.scope.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.scope.ScopeRejectedException;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * An IAM session policy with per-user variables, rendered for each user before STS is called.
 *
 * <p>Variables: {@code ${sub}}, {@code ${email}}, {@code ${issuer}}, {@code ${connection}},
 * {@code ${connectionType}}, {@code ${sessionName}} (the role session name), {@code ${claim.NAME}} (a claim's value
 * as a string) and {@code ${groups}}: an action, resource or condition value that holds {@code ${groups}} is
 * repeated once per group of the user (a user in no group is refused). IAM's own policy variables
 * ({@code ${aws:userid}}, {@code ${saml:sub}}, {@code ${aws:PrincipalTag/team}} — anything with a colon) are left
 * for IAM to resolve.
 *
 * <p>The template is read once into a small model of the IAM policy grammar: per statement its {@code Sid} and
 * {@code Effect}, the string lists {@code Action}, {@code NotAction}, {@code Resource}, {@code NotResource}, and the
 * {@code Condition} block as operator → key → values. Values are substituted into the model's strings and the policy
 * is written as compact JSON by a JSON writer, so a value can never break out of its string (a subject containing
 * {@code "} or {@code ,} is data, not syntax). {@code *} and {@code ?} in a user's value are IAM wildcards, so they
 * are refused rather than substituted. The result is checked against STS's limit of {@value #MAX_POLICY_LENGTH}
 * characters (STS AssumeRole* {@code Policy} parameter) before STS is called.
 *
 * <p>A template the model cannot represent faithfully is refused at configuration time rather than silently
 * narrowed or widened: unknown elements, a {@code Principal}, an {@code Effect} other than {@code Allow} or
 * {@code Deny}, empty lists, or non-string values (write {@code "true"}, not {@code true}).
 */
public final class SessionPolicyTemplate {

    /** STS's maximum length of an inline session policy, in characters. */
    public static final int MAX_POLICY_LENGTH = 2048;

    /** The per-user variable names; {@code claim.NAME} is the one family. */
    public static final Set<String> VARIABLES = UserValues.ALL;

    /** The policy language version written when the template names none (IAM JSON policy elements: Version). */
    private static final String DEFAULT_VERSION = "2012-10-17";
    private static final Set<String> POLICY_ELEMENTS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Action", "NotAction", "Resource",
            "NotResource", "Condition");
    /** The statement elements that hold strings a user's value may go into, in the order they are written. */
    private static final List<String> VALUE_LISTS = List.of("Action", "NotAction", "Resource", "NotResource");
    private static final String STRINGS_ONLY = " (write every action, resource and condition value as a JSON string, "
            + "e.g. \"true\" rather than true)";

    private final String ruleId;
    private final String version;
    private final String id;
    private final List<Statement> statements;

    // One statement: lists by element name (VALUE_LISTS), conditions as operator -> key -> values.
    private record Statement(String sid, String effect, Map<String, List<String>> lists,
            Map<String, Map<String, List<String>>> conditions) {
    }

    private SessionPolicyTemplate(String ruleId, String version, String id, List<Statement> statements) {
        this.ruleId = ruleId;
        this.version = version;
        this.id = id;
        this.statements = statements;
    }

    /**
     * Parses a template.
     *
     * @param ruleId the rule that uses it, named in error messages
     * @param json   the policy as IAM JSON
     * @throws IllegalArgumentException when the template is not a JSON object with a {@code Statement}, uses an
     *                                  element the model does not know or a {@code Principal}, a value that is not a
     *                                  string, or an unknown variable
     */
    public static SessionPolicyTemplate parse(String ruleId, String json) {
        Objects.requireNonNull(json, "json");
        String prefix = "session policy of rule '" + ruleId + "' ";
        Map<String, Object> raw;
        try {
            raw = JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            throw new IllegalArgumentException(prefix + "is not valid JSON: " + e.getMessage(), e);
        }
        if (!raw.containsKey("Statement")) {
            throw new IllegalArgumentException(prefix + "has no \"Statement\"");
        }
        checkElements(raw, prefix);
        List<Statement> statements = new ArrayList<>();
        for (Object statement : asList(raw.get("Statement"))) {
            statements.add(statement((Map<?, ?>) statement, prefix)); // checkElements refused entries that are not objects
        }
        if (statements.isEmpty()) {
            throw new IllegalArgumentException(prefix + "has no statement in \"Statement\"");
        }
        SessionPolicyTemplate template = new SessionPolicyTemplate(ruleId,
                raw.containsKey("Version") ? string(raw.get("Version"), "Version", prefix) : DEFAULT_VERSION,
                raw.containsKey("Id") ? string(raw.get("Id"), "Id", prefix) : null, List.copyOf(statements));
        template.map(s -> {
            String unknown = UserValues.unknownVariable(s);
            if (unknown != null) {
                throw new IllegalArgumentException(prefix + "uses unknown variable ${" + unknown + "}; "
                        + UserValues.HINT + ", or an IAM variable such as ${aws:userid}");
            }
            return List.of(s);
        });
        return template;
    }

    /**
     * Renders the policy for one user as compact JSON.
     *
     * @throws ScopeRejectedException when a value the template needs is missing or unsafe, or the result
     *                                exceeds {@value #MAX_POLICY_LENGTH} characters
     */
    public String render(VerifiedIdentity identity) {
        String json = JSONObjectUtils.toJSONString(map(s -> UserValues.substitute(s, identity, (name, problem) ->
                new ScopeRejectedException("the session policy of rule '" + ruleId + "' needs ${" + name + "}, but "
                        + problem + ", so the rule cannot scope a policy to this user"))));
        if (json.length() > MAX_POLICY_LENGTH) {
            throw new ScopeRejectedException("the session policy of rule '" + ruleId + "' is " + json.length()
                    + " characters for this user; STS accepts at most " + MAX_POLICY_LENGTH
                    + ". Shorten the template or move statements into the role's own policy.");
        }
        return json;
    }

    // Applies a substitution to every string a user's value may go into (actions, resources, condition values) and
    // returns the policy as a JSON object: elements in the grammar's order, a one-element list as its element.
    private Map<String, Object> map(Function<String, List<String>> substitute) {
        List<Object> out = new ArrayList<>();
        for (Statement statement : statements) {
            Map<String, Object> s = new LinkedHashMap<>();
            putIfNotNull(s, "Sid", statement.sid());
            s.put("Effect", statement.effect());
            statement.lists().forEach((element, values) -> s.put(element, compact(substituteAll(values, substitute))));
            if (!statement.conditions().isEmpty()) {
                Map<String, Object> conditions = new LinkedHashMap<>();
                statement.conditions().forEach((operator, keys) -> {
                    Map<String, Object> block = new LinkedHashMap<>();
                    keys.forEach((key, values) -> block.put(key, compact(substituteAll(values, substitute))));
                    conditions.put(operator, block);
                });
                s.put("Condition", conditions);
            }
            out.add(s);
        }
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", version);
        putIfNotNull(policy, "Id", id);
        policy.put("Statement", compact(out));
        return policy;
    }

    private static List<String> substituteAll(List<String> values, Function<String, List<String>> substitute) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.addAll(substitute.apply(v)));
        return out;
    }

    private static Object compact(List<?> list) {
        return list.size() == 1 ? list.get(0) : list;
    }

    private static void putIfNotNull(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static Statement statement(Map<?, ?> raw, String prefix) {
        Object effect = raw.get("Effect");
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            throw new IllegalArgumentException(prefix + "has a statement whose \"Effect\" is not \"Allow\" or \"Deny\"");
        }
        Map<String, List<String>> lists = new LinkedHashMap<>();
        for (String element : VALUE_LISTS) {
            if (raw.containsKey(element)) {
                lists.put(element, strings(raw.get(element), element, prefix));
            }
        }
        Map<String, Map<String, List<String>>> conditions = new LinkedHashMap<>();
        if (raw.containsKey("Condition")) {
            castMap(raw.get("Condition"), "Condition", prefix).forEach((operator, block) -> {
                Map<String, List<String>> keys = new LinkedHashMap<>();
                castMap(block, "Condition", prefix).forEach((key, values) ->
                        keys.put(String.valueOf(key), strings(values, "Condition", prefix)));
                conditions.put(String.valueOf(operator), keys);
            });
        }
        return new Statement(raw.containsKey("Sid") ? string(raw.get("Sid"), "Sid", prefix) : null, (String) effect,
                lists, conditions);
    }

    private static List<String> strings(Object value, String element, String prefix) {
        List<String> out = new ArrayList<>();
        for (Object item : asList(value)) {
            out.add(string(item, element, prefix));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(prefix + "has an empty list in \"" + element + "\"");
        }
        return List.copyOf(out);
    }

    private static String string(Object value, String element, String prefix) {
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(prefix + "has a value in \"" + element + "\" that is not a string"
                    + (element.equals("Condition") || VALUE_LISTS.contains(element) ? STRINGS_ONLY : ""));
        }
        return s;
    }

    private static List<?> asList(Object value) {
        return value instanceof List<?> list ? list : List.of(value);
    }

    private static Map<?, ?> castMap(Object value, String element, String prefix) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(prefix + "has a \"" + element + "\" that is not an object");
        }
        return map;
    }

    private static void checkElements(Map<String, Object> raw, String prefix) {
        for (String key : raw.keySet()) {
            if (!POLICY_ELEMENTS.contains(key)) {
                throw new IllegalArgumentException(prefix + "has unknown element \"" + key + "\"; a policy has Version, Id "
                        + "and Statement");
            }
        }
        for (Object statement : asList(raw.get("Statement"))) {
            if (!(statement instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(prefix + "has a Statement entry that is not an object");
            }
            for (Object key : map.keySet()) {
                if ("Principal".equals(key) || "NotPrincipal".equals(key)) {
                    throw new IllegalArgumentException(prefix + "names a " + key + "; session policies cannot (STS answers "
                            + "MalformedPolicyDocument)");
                }
                if (!STATEMENT_ELEMENTS.contains(String.valueOf(key))) {
                    throw new IllegalArgumentException(prefix + "has unknown statement element \"" + key + "\"; use Sid, "
                            + "Effect, Action, NotAction, Resource, NotResource or Condition");
                }
            }
        }
    }

    @Override
    public String toString() {
        return "SessionPolicyTemplate[rule=" + ruleId + "]";
    }
}

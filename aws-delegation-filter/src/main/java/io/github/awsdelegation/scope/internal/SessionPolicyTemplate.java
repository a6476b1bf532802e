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
import software.amazon.awssdk.policybuilder.iam.IamAction;
import software.amazon.awssdk.policybuilder.iam.IamCondition;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPolicyWriter;
import software.amazon.awssdk.policybuilder.iam.IamResource;
import software.amazon.awssdk.policybuilder.iam.IamStatement;

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
 * <p>The template is read once into the AWS SDK's IAM policy model ({@code iam-policy-builder}); values are
 * substituted into the model's strings and the policy is written by the SDK's writer as compact JSON, so a value can
 * never break out of its string (a subject containing {@code "} or {@code ,} is data, not syntax). {@code *} and
 * {@code ?} in a user's value are IAM wildcards, so they are refused rather than substituted. The result is checked
 * against STS's limit of {@value #MAX_POLICY_LENGTH} characters (STS AssumeRole* {@code Policy} parameter) before
 * STS is called.
 *
 * <p>A template the model cannot represent faithfully is refused at configuration time rather than silently
 * narrowed or widened: unknown elements, a {@code Principal}, or non-string condition values (write {@code "true"},
 * not {@code true}).
 */
public final class SessionPolicyTemplate {

    /** STS's maximum length of an inline session policy, in characters. */
    public static final int MAX_POLICY_LENGTH = 2048;

    /** The per-user variable names; {@code claim.NAME} is the one family. */
    public static final Set<String> VARIABLES = UserValues.ALL;

    private static final Set<String> POLICY_ELEMENTS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Action", "NotAction", "Resource",
            "NotResource", "Condition");
    private static final IamPolicyWriter COMPACT = IamPolicyWriter.builder().prettyPrint(false).build();

    private final String ruleId;
    private final IamPolicy template;

    private SessionPolicyTemplate(String ruleId, IamPolicy template) {
        this.ruleId = ruleId;
        this.template = template;
    }

    /**
     * Parses a template.
     *
     * @param ruleId the rule that uses it, named in error messages
     * @param json   the policy as IAM JSON
     * @throws IllegalArgumentException when the template is not a JSON object with a {@code Statement}, uses an
     *                                  element the policy model would drop or a {@code Principal}, or uses an unknown
     *                                  variable
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
        IamPolicy policy;
        try {
            policy = IamPolicy.fromJson(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(prefix + "is not an IAM policy: " + e.getMessage(), e);
        }
        if (!normalize(raw, true).equals(normalize(parseQuietly(policy.toJson(COMPACT)), true))) {
            throw new IllegalArgumentException(prefix + "has values the IAM policy model cannot keep (write every action, "
                    + "resource and condition value as a JSON string, e.g. \"true\" rather than true)");
        }
        SessionPolicyTemplate template = new SessionPolicyTemplate(ruleId, policy);
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
        IamPolicy rendered = map(s -> UserValues.substitute(s, identity, (name, problem) -> new ScopeRejectedException(
                "the session policy of rule '" + ruleId + "' needs ${" + name + "}, but " + problem
                        + ", so the rule cannot scope a policy to this user")));
        String json = rendered.toJson(COMPACT);
        if (json.length() > MAX_POLICY_LENGTH) {
            throw new ScopeRejectedException("the session policy of rule '" + ruleId + "' is " + json.length()
                    + " characters for this user; STS accepts at most " + MAX_POLICY_LENGTH
                    + ". Shorten the template or move statements into the role's own policy.");
        }
        return json;
    }

    // Applies a substitution to every string a user's value may go into: actions, resources, condition values.
    private IamPolicy map(Function<String, List<String>> substitute) {
        List<IamStatement> statements = new ArrayList<>();
        for (IamStatement statement : template.statements()) {
            List<IamCondition> conditions = new ArrayList<>();
            for (IamCondition condition : statement.conditions()) {
                for (String value : substitute.apply(condition.value())) {
                    conditions.add(IamCondition.create(condition.operator(), condition.key(), value));
                }
            }
            statements.add(statement.toBuilder()
                    .actions(actions(statement.actions(), substitute))
                    .notActions(actions(statement.notActions(), substitute))
                    .resources(resources(statement.resources(), substitute))
                    .notResources(resources(statement.notResources(), substitute))
                    .conditions(conditions)
                    .build());
        }
        return template.toBuilder().statements(statements).build();
    }

    private static List<IamAction> actions(List<IamAction> actions, Function<String, List<String>> substitute) {
        List<IamAction> out = new ArrayList<>();
        actions.forEach(a -> substitute.apply(a.value()).forEach(v -> out.add(IamAction.create(v))));
        return out;
    }

    private static List<IamResource> resources(List<IamResource> resources, Function<String, List<String>> substitute) {
        List<IamResource> out = new ArrayList<>();
        resources.forEach(r -> substitute.apply(r.value()).forEach(v -> out.add(IamResource.create(v))));
        return out;
    }

    private static void checkElements(Map<String, Object> raw, String prefix) {
        for (String key : raw.keySet()) {
            if (!POLICY_ELEMENTS.contains(key)) {
                throw new IllegalArgumentException(prefix + "has unknown element \"" + key + "\"; a policy has Version, Id "
                        + "and Statement");
            }
        }
        Object statements = raw.get("Statement");
        for (Object statement : statements instanceof List<?> list ? list : List.of(statements)) {
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

    private static Map<String, Object> parseQuietly(String json) {
        try {
            return JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("the IAM policy writer produced invalid JSON", e);
        }
    }

    // A comparable form: single-element lists as their element, the default Version filled in.
    private static Object normalize(Object node, boolean top) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), normalize(v, false)));
            if (top) {
                out.putIfAbsent("Version", "2012-10-17");
            }
            return out;
        }
        if (node instanceof List<?> list) {
            if (list.size() == 1) {
                return normalize(list.get(0), false);
            }
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(normalize(item, false)));
            return out;
        }
        return node;
    }

    @Override
    public String toString() {
        return "SessionPolicyTemplate[rule=" + ruleId + "]";
    }
}

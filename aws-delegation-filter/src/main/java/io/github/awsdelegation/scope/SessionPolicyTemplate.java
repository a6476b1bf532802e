package io.github.awsdelegation.scope;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IAM session policy with per-user variables, rendered for each user before STS is called.
 *
 * <p>Variables: {@code ${sub}}, {@code ${email}}, {@code ${issuer}}, {@code ${connection}},
 * {@code ${connectionType}} and {@code ${claim.NAME}} (a claim's value as a string). IAM's own policy
 * variables ({@code ${aws:username}}, {@code ${saml:sub}}, {@code ${aws:PrincipalTag/team}} — anything with
 * a colon) are left for IAM to resolve.
 *
 * <p>The template is parsed as JSON once, and values are substituted into the parsed strings, so a value
 * can never break out of its string (a subject containing {@code "} or {@code *} is data, not syntax);
 * {@code *} and {@code ?} in a user's value are IAM wildcards, so they are refused rather than
 * substituted. The result is written as compact JSON and checked against STS's limit of
 * {@value #MAX_POLICY_LENGTH} characters (STS AssumeRole* {@code Policy} parameter).
 */
public final class SessionPolicyTemplate {

    /** STS's maximum length of an inline session policy, in characters. */
    public static final int MAX_POLICY_LENGTH = 2048;

    /** The per-user variable names; {@code claim.NAME} is the one family. */
    public static final Set<String> VARIABLES = Set.of("sub", "email", "issuer", "connection", "connectionType");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final String ruleId;
    private final Map<String, Object> template;

    private SessionPolicyTemplate(String ruleId, Map<String, Object> template) {
        this.ruleId = ruleId;
        this.template = template;
    }

    /**
     * Parses a template.
     *
     * @param ruleId the rule that uses it, named in error messages
     * @param json   the policy as IAM JSON
     * @throws IllegalArgumentException when the template is not a JSON object with a {@code Statement}, or
     *                                  uses an unknown variable
     */
    public static SessionPolicyTemplate parse(String ruleId, String json) {
        Map<String, Object> parsed;
        try {
            parsed = JSONObjectUtils.parse(Objects.requireNonNull(json, "json"));
        } catch (ParseException e) {
            throw new IllegalArgumentException("session policy of rule '" + ruleId + "' is not valid JSON: " + e.getMessage(), e);
        }
        if (!parsed.containsKey("Statement")) {
            throw new IllegalArgumentException("session policy of rule '" + ruleId + "' has no \"Statement\"");
        }
        SessionPolicyTemplate template = new SessionPolicyTemplate(ruleId, parsed);
        template.walk(parsed, s -> {
            Matcher m = VARIABLE.matcher(s);
            while (m.find()) {
                String name = m.group(1);
                if (!name.contains(":") && !VARIABLES.contains(name) && !name.startsWith("claim.")) {
                    throw new IllegalArgumentException("session policy of rule '" + ruleId + "' uses unknown variable ${"
                            + name + "}; use one of ${sub}, ${email}, ${issuer}, ${connection}, ${connectionType}, "
                            + "${claim.NAME}, or an IAM variable such as ${aws:userid}");
                }
            }
            return s;
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
        @SuppressWarnings("unchecked")
        Map<String, Object> rendered = (Map<String, Object>) walk(template, s -> substitute(s, identity));
        String json = JSONObjectUtils.toJSONString(rendered);
        if (json.length() > MAX_POLICY_LENGTH) {
            throw new ScopeRejectedException("the session policy of rule '" + ruleId + "' is " + json.length()
                    + " characters for this user; STS accepts at most " + MAX_POLICY_LENGTH
                    + ". Shorten the template or move statements into the role's own policy.");
        }
        return json;
    }

    private String substitute(String s, VerifiedIdentity identity) {
        Matcher m = VARIABLE.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = name.contains(":") ? m.group() : value(name, identity);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String value(String name, VerifiedIdentity identity) {
        String value = switch (name) {
            case "sub" -> identity.subject();
            case "email" -> identity.email();
            case "issuer" -> identity.issuer();
            case "connection" -> identity.connectionName();
            case "connectionType" -> identity.connectionType().configName();
            default -> identity.claimAsString(name.substring("claim.".length())).orElse(null);
        };
        if (value == null || value.isEmpty()) {
            throw new ScopeRejectedException("the session policy of rule '" + ruleId + "' needs ${" + name
                    + "}, which this user's ID token does not provide");
        }
        if (value.indexOf('*') >= 0 || value.indexOf('?') >= 0 || value.contains("${")) {
            // A wildcard in a user's value would widen the policy beyond that user.
            throw new ScopeRejectedException("the value of ${" + name + "} for this user contains a wildcard or "
                    + "variable character ('*', '?' or '${'), so rule '" + ruleId + "' cannot scope a policy to it");
        }
        return value;
    }

    private Object walk(Object node, Function<String, String> onString) {
        if (node instanceof String s) {
            return onString.apply(s);
        }
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                copy.put(onString.apply(String.valueOf(e.getKey())), walk(e.getValue(), onString));
            }
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object item : list) {
                copy.add(walk(item, onString));
            }
            return copy;
        }
        return node;
    }

    @Override
    public String toString() {
        return "SessionPolicyTemplate[rule=" + ruleId + "]";
    }
}

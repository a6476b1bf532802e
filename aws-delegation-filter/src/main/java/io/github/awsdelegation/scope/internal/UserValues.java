package io.github.awsdelegation.scope.internal;

import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-user variables of scoping templates and their values for one user. Every value is refused when it holds
 * {@code *}, {@code ?} or {@code ${}: in a policy these would widen it beyond the user.
 */
final class UserValues {

    /** The multi-valued variable: a string holding it is repeated once per group. */
    static final String GROUPS = "groups";
    /** All names, for {@code DelegationConfigLoader}'s interpolation, which must leave them alone. */
    static final Set<String> ALL = Set.of("sub", "email", "issuer", "connection", "connectionType", "sessionName", GROUPS);

    static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    static final String HINT = "use one of ${sub}, ${email}, ${issuer}, ${connection}, ${connectionType}, ${sessionName}, "
            + "${groups}, ${claim.NAME}";

    private UserValues() {
    }

    /** Returns whether a variable name is one of ours (IAM's own variables have a colon and are left alone). */
    static boolean isKnown(String name) {
        return ALL.contains(name) || (name.startsWith("claim.") && name.length() > "claim.".length());
    }

    /** Returns the unknown per-user variable in a text, or null; names with a colon are IAM's and pass. */
    static String unknownVariable(String text) {
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            if (!name.contains(":") && !isKnown(name)) {
                return name;
            }
        }
        return null;
    }

    /** Returns whether a text uses {@code ${groups}}. */
    static boolean usesGroups(String text) {
        return text.contains("${" + GROUPS + "}");
    }

    /**
     * Substitutes a text for one user; returns one string, or one per group when it uses {@code ${groups}}.
     *
     * @param reject builds the exception for a missing or unsafe value: (variable name, problem)
     */
    static List<String> substitute(String text, VerifiedIdentity identity, BiFunction<String, String, RuntimeException> reject) {
        if (!usesGroups(text)) {
            return List.of(substituteOne(text, identity, null, reject));
        }
        if (identity.groups().isEmpty()) {
            throw reject.apply(GROUPS, "this user is in no group");
        }
        return identity.groups().stream().map(g -> substituteOne(text, identity, g, reject)).distinct().toList();
    }

    private static String substituteOne(String text, VerifiedIdentity identity, String group,
            BiFunction<String, String, RuntimeException> reject) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = name.contains(":") ? m.group() : value(name, identity, group, reject);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String value(String name, VerifiedIdentity identity, String group,
            BiFunction<String, String, RuntimeException> reject) {
        String value = switch (name) {
            case "sub" -> identity.subject();
            case "email" -> identity.email();
            case "issuer" -> identity.issuer();
            case "connection" -> identity.connectionName();
            case "connectionType" -> identity.connectionType().configName();
            case "sessionName" -> RoleSessionNames.of(identity.subject());
            case GROUPS -> group;
            default -> identity.claimAsString(name.substring("claim.".length())).orElse(null);
        };
        if (value == null || value.isEmpty()) {
            throw reject.apply(name, "this user's ID token does not provide it");
        }
        if (value.indexOf('*') >= 0 || value.indexOf('?') >= 0 || value.contains("${")) {
            throw reject.apply(name, "this user's value contains a wildcard or variable character ('*', '?' or '${')");
        }
        return value;
    }
}

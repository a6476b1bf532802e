package io.github.awsdelegation.scope.internal;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.scope.ScopeConfigurationException;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Refuses a grant that holds the very user's identifying values, the obvious sign of a rule in code that builds its
 * grant per user ({@code "arn:aws:s3:::b/" + identity.subject() + "/*"}). Such a value escapes what templates do to
 * per-user values: JSON escaping, the check that a value cannot add statements, actions or wildcards, STS's tag and
 * source identity limits. A grant is a constant; per-user values belong in its {@code ${sub}}, {@code ${email}},
 * {@code ${claim.NAME}} variables.
 *
 * <p>Looked for: the user's {@code sub}, {@code email} and {@code upn} claims (8 characters or more, not all digits), in
 * the session
 * policy, managed policy ARNs, session tag keys and values and the source identity. Display names and user names
 * ({@code preferred_username}, {@code name}, {@code nickname}) are left out on purpose: they are often common words
 * ("admin", "pets") that a constant grant may well contain, and refusing a constant for them would fail a request
 * for nothing. Other user data cannot be told from constants; the contract is documented.
 */
public final class UserDataInGrants {

    /** The claims that identify a user, looked for in grants. */
    public static final List<String> IDENTIFYING_CLAIMS = List.of("sub", "email", "upn");

    // Shorter values, and numbers (GitLab's numeric subs), turn up in constants by chance (an account id holds "123"):
    // refusing a constant for them would fail a user for nothing, and only until someone else made the template.
    private static final int MIN_LENGTH = 8;

    private UserDataInGrants() {
    }

    /**
     * Checks a grant against the user whose request brought it.
     *
     * @throws ScopeConfigurationException naming the part of the grant and the claim (never its value) and the fix
     */
    public static void check(RoleGrant grant, VerifiedIdentity identity) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String claim : IDENTIFYING_CLAIMS) {
            Object value = claim.equals("sub") ? identity.subject() : identity.claims().get(claim);
            if (value instanceof String s && s.length() >= MIN_LENGTH && !s.chars().allMatch(Character::isDigit)) {
                values.putIfAbsent(claim, s);
            }
        }
        if (values.isEmpty()) {
            return;
        }
        Map<String, String> parts = new LinkedHashMap<>();
        if (grant.sessionPolicy() != null) {
            parts.put("sessionPolicy", grant.sessionPolicy());
        }
        List<String> arns = new ArrayList<>(grant.scope().managedPolicies());
        for (int i = 0; i < arns.size(); i++) {
            parts.put("managedPolicies[" + i + "]", arns.get(i));
        }
        grant.scope().tags().forEach((key, value) -> parts.put("tags." + key, key + "\n" + value));
        if (grant.scope().sourceIdentity() != null) {
            parts.put("sourceIdentity", grant.scope().sourceIdentity());
        }
        for (Map.Entry<String, String> part : parts.entrySet()) {
            for (Map.Entry<String, String> value : values.entrySet()) {
                if (part.getValue().contains(value.getValue())) {
                    throw new ScopeConfigurationException(part.getKey(), "built a grant whose " + part.getKey()
                            + " holds this user's " + value.getKey() + " claim: a grant is a constant, and user data in it "
                            + "escapes the template's escaping and checks. Build the RoleGrant once and write ${"
                            + variable(value.getKey()) + "} where the user's value goes");
                }
            }
        }
    }

    private static String variable(String claim) {
        return switch (claim) {
            case "sub" -> "sub";
            case "email" -> "email";
            default -> "claim." + claim;
        };
    }
}

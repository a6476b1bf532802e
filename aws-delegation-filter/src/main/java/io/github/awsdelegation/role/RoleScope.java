package io.github.awsdelegation.role;

import io.github.awsdelegation.internal.InvalidSettingException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The per-role scoping besides the session policy, as configured: managed session policies, session tags, transitive
 * tag keys and a source identity. Tag values and the source identity are templates with per-user variables
 * ({@code ${sub}}, {@code ${email}}, ...), rendered for each user by {@code io.github.awsdelegation.scope}.
 *
 * <p>The constructor checks STS's static limits (STS AssumeRole: at most {@value #MAX_POLICY_ARNS} policy ARNs,
 * {@value #MAX_TAGS} tags, tag keys of at most {@value #MAX_TAG_KEY_LENGTH} characters, transitive keys among the
 * tags) and throws {@link IllegalArgumentException} naming the limit.
 *
 * @param managedPolicies   ARNs of managed policies that narrow the session ({@code PolicyArns}), at most 10
 * @param tags              session tag keys to value templates, in order; at most 50
 * @param transitiveTagKeys tag keys that carry over into chained role sessions; each must be a key of {@code tags}
 * @param sourceIdentity    a source identity template, or {@code null} for none
 */
public record RoleScope(List<String> managedPolicies, Map<String, String> tags, List<String> transitiveTagKeys,
        String sourceIdentity) {

    /** STS's maximum number of managed session policy ARNs. */
    public static final int MAX_POLICY_ARNS = 10;
    /** STS's maximum number of session tags. */
    public static final int MAX_TAGS = 50;
    /** STS's maximum length of a session tag key. */
    public static final int MAX_TAG_KEY_LENGTH = 128;

    private static final Pattern POLICY_ARN = Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}|aws):policy/[\\w+=,.@/-]{1,512}");
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final RoleScope NONE = new RoleScope(List.of(), Map.of(), List.of(), null);

    public RoleScope {
        managedPolicies = List.copyOf(managedPolicies);
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        transitiveTagKeys = List.copyOf(transitiveTagKeys);
        if (managedPolicies.size() > MAX_POLICY_ARNS) {
            throw new InvalidSettingException("managedPolicies", "managedPolicies lists " + managedPolicies.size() + " ARNs; STS accepts at most "
                    + MAX_POLICY_ARNS);
        }
        for (String arn : managedPolicies) {
            if (!POLICY_ARN.matcher(arn).matches()) {
                throw new InvalidSettingException("managedPolicies", "managedPolicies: '" + arn + "' is not an IAM policy ARN; expected "
                        + "arn:aws:iam::<12-digit account>:policy/<name> (or arn:aws:iam::aws:policy/<name>)");
            }
        }
        if (tags.size() > MAX_TAGS) {
            throw new InvalidSettingException("tags", "tags: " + tags.size() + " session tags; STS accepts at most " + MAX_TAGS);
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!TAG_KEY.matcher(tag.getKey()).matches() || tag.getKey().regionMatches(true, 0, "aws:", 0, 4)) {
                throw new InvalidSettingException("tags", "tags: key '" + tag.getKey() + "' must be 1-" + MAX_TAG_KEY_LENGTH
                        + " letters, digits, spaces or _.:/=+-@ and must not start with aws:");
            }
            Objects.requireNonNull(tag.getValue(), "tag value");
        }
        for (String key : transitiveTagKeys) {
            if (!tags.containsKey(key)) {
                throw new InvalidSettingException("transitiveTags", "transitiveTags: '" + key + "' is not one of the role's tags " + tags.keySet());
            }
        }
    }

    /** Returns the scope with nothing configured. */
    public static RoleScope none() {
        return NONE;
    }
}

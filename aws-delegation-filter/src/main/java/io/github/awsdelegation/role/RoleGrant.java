package io.github.awsdelegation.role;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One IAM role a rule can grant, with the scoping that goes with it.
 *
 * @param roleArn         the role's ARN, e.g. {@code arn:aws:iam::123456789012:role/pet-shop-buyer}
 * @param principalArn    the ARN of the IAM SAML or OIDC provider the role trusts, or {@code null}; required
 *                        only when the role is assumed with SAML
 * @param region          the AWS region whose regional STS endpoint issues the credentials and in which
 *                        the app should use them, or {@code null} for the configured default
 * @param sessionDuration how long the credentials live, or {@code null} for the configured default
 * @param sessionPolicy   a session policy template (IAM JSON with per-user variables such as {@code ${sub}}),
 *                        or {@code null} for none
 */
public record RoleGrant(String roleArn, String principalArn, String region, Duration sessionDuration,
        String sessionPolicy) {

    // arn:partition:iam::account:role/path/name  (STS model: 20-2048 chars)
    private static final Pattern ROLE_ARN =
            Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):role/((?:[\\w+=,.@-]+/)*)([\\w+=,.@-]{1,64})");

    public RoleGrant {
        Objects.requireNonNull(roleArn, "roleArn");
        if (!ROLE_ARN.matcher(roleArn).matches()) {
            throw new IllegalArgumentException("'" + roleArn + "' is not an IAM role ARN; expected "
                    + "arn:aws:iam::<12-digit account>:role/<name>");
        }
    }

    /** Returns a grant of the role alone, with every option at its default. */
    public static RoleGrant of(String roleArn) {
        return new RoleGrant(roleArn, null, null, null, null);
    }

    /** Returns the role's name: the last segment of its ARN, e.g. {@code pet-shop-buyer}. */
    public String roleName() {
        return part(4);
    }

    /** Returns the 12-digit account number from the role ARN. */
    public String accountId() {
        return part(2);
    }

    /** Returns the partition from the role ARN: {@code aws}, {@code aws-cn} or {@code aws-us-gov}. */
    public String partition() {
        return part(1);
    }

    /** Returns the region, when the grant names one. */
    public Optional<String> regionName() {
        return Optional.ofNullable(region);
    }

    /**
     * Tells whether a client's role request names this role: either the full ARN, or the role name
     * (compared without regard to case, as IAM role names are unique regardless of case).
     */
    public boolean isNamedBy(String requested) {
        return roleArn.equals(requested) || roleName().toLowerCase(Locale.ROOT).equals(requested.toLowerCase(Locale.ROOT));
    }

    private String part(int group) {
        Matcher m = ROLE_ARN.matcher(roleArn);
        if (!m.matches()) {
            throw new IllegalStateException(roleArn);
        }
        return m.group(group);
    }
}

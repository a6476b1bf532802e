package io.github.awsdelegation.role;

import io.github.awsdelegation.internal.InvalidSettingException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One IAM role a rule can grant, with the scoping that goes with it. Made with {@link #of(String)} or
 * {@link #builder(String)}; the record constructor takes every component, {@code null} for a default.
 *
 * @param roleArn         the role's ARN, e.g. {@code arn:aws:iam::123456789012:role/pet-shop-buyer}
 * @param principalArn    the ARN of the IAM SAML or OIDC provider the role trusts, in the role's partition and
 *                        account, or {@code null}; required when the role is assumed with SAML (and for console
 *                        sign-in), e.g. {@code arn:aws:iam::123456789012:saml-provider/pet-shop}
 * @param region          the AWS region whose regional STS endpoint issues the credentials and in which
 *                        the app should use them, or {@code null} for the configured default
 * @param sessionDuration how long the credentials live, or {@code null} for the configured default
 * @param sessionPolicy   a session policy template (IAM JSON with per-user variables such as {@code ${sub}}),
 *                        or {@code null} for none
 * @param federation      how the credentials are obtained (the role's {@code federation} key); {@code null} chooses the default: {@link Federation#SAML}
 *                        when the principal is an IAM SAML provider, else {@link Federation#WEB_IDENTITY}
 * @param scope           managed policies, session tags, transitive tag keys and source identity; {@code null} for
 *                        none ({@link RoleScope#none()})
 */
public record RoleGrant(String roleArn, String principalArn, String region, Duration sessionDuration,
        String sessionPolicy, Federation federation, RoleScope scope) {

    /** The STS operation that obtains a role's credentials. */
    public enum Federation {
        /** STS AssumeRoleWithWebIdentity with the user's ID token; AWS trusts the OIDC provider. */
        WEB_IDENTITY("web-identity"),
        /** STS AssumeRoleWithSAML with an assertion this module signs; AWS trusts the app's IAM SAML provider. */
        SAML("saml"),
        /**
         * STS AssumeRole signed with the app's own AWS credentials (role chaining when those are a role session's,
         * which STS caps at 1 hour); the role's trust policy names the app's principal.
         */
        ASSUME_ROLE("assume-role");

        private final String configName;

        Federation(String configName) {
            this.configName = configName;
        }

        /** Returns the name used in configuration: {@code web-identity}, {@code saml} or {@code assume-role}. */
        public String configName() {
            return configName;
        }

        /**
         * Returns the federation for a configuration value.
         *
         * @throws IllegalArgumentException naming the accepted values
         */
        public static Federation parse(String value) {
            for (Federation f : values()) {
                if (f.configName.equalsIgnoreCase(value == null ? "" : value.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown federation '" + value + "'; use web-identity, saml or assume-role");
        }
    }

    // arn:partition:iam::account:role/path/name  (STS model: 20-2048 chars)
    private static final Pattern ROLE_ARN =
            Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):role/((?:[\\w+=,.@-]+/)*)([\\w+=,.@-]{1,64})");
    // arn:partition:iam::account:saml-provider/name (IAM: 1-128 of [\w._-]) or :oidc-provider/host[/path]
    private static final Pattern PROVIDER_ARN =
            Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):(saml-provider/[\\w.-]{1,128}|oidc-provider/[^\\s]{1,1000})");

    public RoleGrant {
        Objects.requireNonNull(roleArn, "roleArn");
        if (!ROLE_ARN.matcher(roleArn).matches()) {
            throw new InvalidSettingException("arn", "'" + roleArn + "' is not an IAM role ARN; expected "
                    + "arn:aws:iam::<12-digit account>:role/<name>");
        }
        checkPrincipal(roleArn, principalArn, federation);
        if (federation == null) {
            federation = principalArn != null && principalArn.contains(":saml-provider/") ? Federation.SAML : Federation.WEB_IDENTITY;
        }
        if (scope == null) {
            scope = RoleScope.none();
        }
    }

    /** Returns a grant of the role alone, with every option at its default. */
    public static RoleGrant of(String roleArn) {
        return new RoleGrant(roleArn, null, null, null, null, null, null);
    }

    /** Returns a builder of a grant of this role; every option left unset has its default. */
    public static Builder builder(String roleArn) {
        return new Builder(roleArn);
    }

    /**
     * Checks that a principal fits a role: an IAM SAML or OIDC provider ARN in the role's partition and account
     * (IAM trusts only its own account's providers), and an IAM SAML provider when the role is assumed with SAML.
     *
     * @param roleArn      a valid role ARN
     * @param principalArn the principal, or {@code null}
     * @param federation   the federation, or {@code null} for the default
     * @throws IllegalArgumentException starting with "principal" and saying what to write instead
     */
    public static void checkPrincipal(String roleArn, String principalArn, Federation federation) {
        if (principalArn == null) {
            if (federation == Federation.SAML) {
                throw new InvalidSettingException("principal", "principal is missing: a role assumed with SAML needs the ARN of the "
                        + "IAM SAML provider made from this app's metadata, e.g. arn:aws:iam::123456789012:saml-provider/pet-shop");
            }
            return;
        }
        Matcher role = ROLE_ARN.matcher(roleArn);
        Matcher principal = PROVIDER_ARN.matcher(principalArn);
        if (!role.matches() || !principal.matches()) {
            throw new InvalidSettingException("principal", "principal '" + principalArn + "' is not an IAM SAML or OIDC provider ARN; "
                    + "expected arn:aws:iam::<12-digit account>:saml-provider/<name>");
        }
        if (!role.group(1).equals(principal.group(1)) || !role.group(2).equals(principal.group(2))) {
            throw new InvalidSettingException("principal", "principal '" + principalArn + "' is not in the role's partition and account ("
                    + role.group(1) + ", " + role.group(2) + "): IAM roles trust only providers of their own account");
        }
        if (federation == Federation.SAML && !principal.group(3).startsWith("saml-provider/")) {
            throw new InvalidSettingException("principal", "principal '" + principalArn + "' is an OIDC provider, but a role assumed "
                    + "with SAML needs the ARN of an IAM SAML provider (arn:...:saml-provider/<name>)");
        }
    }

    /** Returns the IAM SAML provider ARN the role trusts, when its principal is one. */
    public Optional<String> samlProviderArn() {
        return principalArn != null && principalArn.contains(":saml-provider/") ? Optional.of(principalArn) : Optional.empty();
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

    // The ARN was matched against ROLE_ARN when the grant was made, so plain string positions are enough here
    // (these run on every request: no regular expression).
    private String part(int group) {
        return switch (group) {
            case 1 -> roleArn.substring(4, roleArn.indexOf(':', 4));
            case 2 -> {
                int accountStart = roleArn.indexOf("::") + 2;
                yield roleArn.substring(accountStart, accountStart + 12);
            }
            case 4 -> roleArn.substring(roleArn.lastIndexOf('/') + 1);
            default -> throw new IllegalArgumentException("no ARN part " + group);
        };
    }

    /** Builds a {@link RoleGrant}; {@link #build()} checks it. */
    public static final class Builder {

        private final String roleArn;
        private String principalArn;
        private String region;
        private Duration sessionDuration;
        private String sessionPolicy;
        private Federation federation;
        private RoleScope scope;

        private Builder(String roleArn) {
            this.roleArn = roleArn;
        }

        /** Sets the IAM SAML or OIDC provider the role trusts. By default, none. */
        public Builder principal(String principalArn) {
            this.principalArn = principalArn;
            return this;
        }

        /** Sets the region of the role's STS endpoint and credentials. By default, the configured one. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Sets how long the credentials live. By default, the configured default. */
        public Builder sessionDuration(Duration sessionDuration) {
            this.sessionDuration = sessionDuration;
            return this;
        }

        /** Sets the session policy template. By default, none. */
        public Builder sessionPolicy(String sessionPolicy) {
            this.sessionPolicy = sessionPolicy;
            return this;
        }

        /**
         * Sets how the credentials are obtained (the role's {@code federation} key). By default, SAML for a SAML provider
         * principal, else web identity.
         */
        public Builder federation(Federation federation) {
            this.federation = federation;
            return this;
        }

        /** Sets the managed policies, tags, transitive tag keys and source identity. By default, none. */
        public Builder scope(RoleScope scope) {
            this.scope = scope;
            return this;
        }

        /**
         * Builds the grant.
         *
         * @throws IllegalArgumentException naming the setting at fault
         */
        public RoleGrant build() {
            return new RoleGrant(roleArn, principalArn, region, sessionDuration, sessionPolicy, federation, scope);
        }
    }
}

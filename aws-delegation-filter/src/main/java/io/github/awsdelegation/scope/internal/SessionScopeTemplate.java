package io.github.awsdelegation.scope.internal;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleScope;
import io.github.awsdelegation.scope.ScopeConfigurationException;
import io.github.awsdelegation.scope.ScopeRejectedException;
import io.github.awsdelegation.scope.SessionScope;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything a role's configuration says about narrowing its sessions — the session policy template, managed policy
 * ARNs, session tags, transitive tag keys and source identity — checked once, and rendered for each user into a
 * {@link SessionScope} within STS's limits before STS is called.
 *
 * <p>Tag values and the source identity are templates with the per-user variables of {@link SessionPolicyTemplate}
 * ({@code ${groups}} is joined with {@code :} in a tag). A rendered tag value must be at most
 * {@value #MAX_TAG_VALUE_LENGTH} characters of letters, digits, spaces and {@code _.:/=+-@} (STS {@code Tag.Value});
 * a source identity 2 to 64 characters of {@code [\w+=,.@-]}, not starting with {@code aws:} (STS
 * {@code SourceIdentity}). A user whose values do not fit is refused (403) with the reason; {@code ${sessionName}}
 * always fits a source identity.
 *
 * <p>Where the values travel depends on the STS operation: AssumeRole sends {@code Tags}, {@code TransitiveTagKeys}
 * and {@code SourceIdentity}; AssumeRoleWithSAML sends them as {@code PrincipalTag:}, {@code TransitiveTagKeys} and
 * {@code SourceIdentity} attributes of the assertion; AssumeRoleWithWebIdentity takes them only from the ID token's
 * {@code https://aws.amazon.com/tags} and {@code https://aws.amazon.com/source_identity} claims, which the identity
 * provider adds — so configuring them on a web-identity role is refused, with that advice.
 */
public final class SessionScopeTemplate {

    /** STS's maximum length of a session tag value. */
    public static final int MAX_TAG_VALUE_LENGTH = 256;

    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");
    private static final Pattern SOURCE_IDENTITY = Pattern.compile("[\\w+=,.@-]{2,64}");

    private final String ruleId;
    private final SessionPolicyTemplate policy;
    private final RoleScope scope;

    private SessionScopeTemplate(String ruleId, SessionPolicyTemplate policy, RoleScope scope) {
        this.ruleId = ruleId;
        this.policy = policy;
        this.scope = scope;
    }

    /**
     * Checks a role's scoping configuration.
     *
     * @param ruleId the rule that grants the role, named in messages
     * @param role   the role
     * @throws ScopeConfigurationException naming the key (relative to the role) that cannot work
     */
    public static SessionScopeTemplate parse(String ruleId, RoleGrant role) {
        SessionPolicyTemplate policy = null;
        if (role.sessionPolicy() != null) {
            try {
                policy = SessionPolicyTemplate.parse(ruleId, role.sessionPolicy());
            } catch (IllegalArgumentException e) {
                throw new ScopeConfigurationException("sessionPolicy", e.getMessage());
            }
        }
        RoleScope scope = role.scope();
        if (role.federation() == RoleGrant.Federation.WEB_IDENTITY) {
            String key = !scope.tags().isEmpty() ? "tags" : !scope.transitiveTagKeys().isEmpty() ? "transitiveTags"
                    : scope.sourceIdentity() != null ? "sourceIdentity" : null;
            if (key != null) {
                throw new ScopeConfigurationException(key, "STS AssumeRoleWithWebIdentity takes session tags and the source "
                        + "identity only from the ID token (claims https://aws.amazon.com/tags and "
                        + "https://aws.amazon.com/source_identity): have the identity provider add them (an Auth0 Action, a "
                        + "Keycloak mapper), or use federation: saml or assume-role for this role");
            }
        }
        for (Map.Entry<String, String> tag : scope.tags().entrySet()) {
            String unknown = UserValues.unknownVariable(tag.getValue());
            if (unknown != null) {
                throw new ScopeConfigurationException("tags." + tag.getKey(), "uses unknown variable ${" + unknown + "}; "
                        + UserValues.HINT);
            }
        }
        if (scope.sourceIdentity() != null) {
            String unknown = UserValues.unknownVariable(scope.sourceIdentity());
            if (unknown != null) {
                throw new ScopeConfigurationException("sourceIdentity", "uses unknown variable ${" + unknown + "}; "
                        + UserValues.HINT);
            }
            if (UserValues.usesGroups(scope.sourceIdentity())) {
                throw new ScopeConfigurationException("sourceIdentity", "cannot use ${groups}: a session has one source "
                        + "identity");
            }
            // The pattern has no ':', so it also keeps out the 'aws:' prefix STS refuses.
            if (!scope.sourceIdentity().contains("${") && !SOURCE_IDENTITY.matcher(scope.sourceIdentity()).matches()) {
                throw new ScopeConfigurationException("sourceIdentity", "'" + scope.sourceIdentity() + "' must be 2-64 "
                        + "characters of [\\w+=,.@-] and must not start with aws:");
            }
        }
        return new SessionScopeTemplate(ruleId, policy, scope);
    }

    /**
     * Renders the scope for one user.
     *
     * @throws ScopeRejectedException when the user's values are missing or do not fit STS's limits
     */
    public SessionScope render(VerifiedIdentity identity) {
        String sessionPolicy = policy == null ? null : policy.render(identity);
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map.Entry<String, String> tag : scope.tags().entrySet()) {
            List<String> values = UserValues.substitute(tag.getValue(), identity, (name, problem) -> rejected(
                    "tag " + tag.getKey(), name, problem));
            String value = String.join(":", values);
            if (value.length() > MAX_TAG_VALUE_LENGTH || !TAG_VALUE.matcher(value).matches()) {
                throw new ScopeRejectedException("rule '" + ruleId + "' cannot tag this user's session: the value of tag '"
                        + tag.getKey() + "' would be " + value.length() + " characters or hold characters STS does not "
                        + "accept (allowed: letters, digits, spaces, _.:/=+-@; at most " + MAX_TAG_VALUE_LENGTH
                        + "). Use another variable, e.g. ${sessionName}.");
            }
            tags.put(tag.getKey(), value);
        }
        String sourceIdentity = null;
        if (scope.sourceIdentity() != null) {
            sourceIdentity = UserValues.substitute(scope.sourceIdentity(), identity,
                    (name, problem) -> rejected("the source identity", name, problem)).get(0);
            if (!SOURCE_IDENTITY.matcher(sourceIdentity).matches()) {
                throw new ScopeRejectedException("rule '" + ruleId + "' cannot set this user's source identity: it must be "
                        + "2-64 characters of [\\w+=,.@-] and not start with aws:. Use ${sessionName}, which always fits.");
            }
        }
        return new SessionScope(sessionPolicy, scope.managedPolicies(), tags, scope.transitiveTagKeys(), sourceIdentity);
    }

    private ScopeRejectedException rejected(String what, String variable, String problem) {
        return new ScopeRejectedException("rule '" + ruleId + "' needs ${" + variable + "} for " + what + ", but " + problem);
    }

    @Override
    public String toString() {
        return "SessionScopeTemplate[rule=" + ruleId + "]";
    }
}

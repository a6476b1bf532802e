package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleScope;
import io.github.awsdelegation.scope.internal.SessionScopeTemplate;
import io.github.awsdelegation.sts.internal.Partition;
import io.github.awsdelegation.sts.StsSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;

/**
 * One role of a declarative rule, with its scoping (docs/configuration.md, "Scoping"). The session policy, the tag
 * values and the source identity are per-user templates; complaints are keyed relative to the role.
 *
 * @param arn             the role's ARN; required
 * @param principal       the IAM SAML or OIDC provider the role trusts
 * @param region          the region of the role's STS endpoint and credentials
 * @param sessionDuration how long the credentials live, 15 minutes to 12 hours
 * @param sessionPolicy   a session policy template
 * @param federation      how the credentials are obtained: {@code web-identity}, {@code saml} or {@code assume-role};
 *                        by default, saml for a SAML provider principal, else web-identity
 * @param formerIssuer    the former name of {@code federation}, refused with the new name
 * @param managedPolicies managed policies that narrow the session
 * @param tags            session tag keys to value templates
 * @param transitiveTags  tag keys that carry over into chained role sessions
 * @param sourceIdentity  a source identity template
 */
public record RoleDocument(@Required String arn, String principal, String region, Duration sessionDuration,
        @PerUserTemplate String sessionPolicy, RoleGrant.Federation federation, @Key("issuer") String formerIssuer,
        List<String> managedPolicies, @PerUserTemplate Map<String, String> tags, List<String> transitiveTags,
        @PerUserTemplate String sourceIdentity) {

    public RoleDocument {
        if (formerIssuer != null) {
            throw new ConfigurationException("issuer", "is now called federation (\"issuer\" means only the OIDC issuer, "
                    + "oidc.issuer): write federation: " + formerIssuer.trim() + " (web-identity, saml or assume-role)");
        }
        if (sessionDuration != null) {
            StsSettings.checkSessionDuration(sessionDuration);
        }
        if (region != null && !Region.regions().contains(Region.of(region))) {
            throw new ConfigurationException("region", "'" + region + "' is not an AWS region known to the AWS SDK");
        }
    }

    /** Returns the grant, checking its scoping for the rule with this id. */
    RoleGrant grant(String ruleId) {
        RoleGrant grant = RoleGrant.of(arn);
        if (region != null && !Partition.of(grant.partition()).contains(Region.of(region))) {
            throw new ConfigurationException("region", "region " + region + " is not in the role's partition "
                    + grant.partition() + ": credentials of a partition come only from its own regions");
        }
        RoleGrant granted = RoleGrant.builder(arn).principal(principal).region(region).sessionDuration(sessionDuration)
                .sessionPolicy(sessionPolicy).federation(federation)
                .scope(new RoleScope(managedPolicies, tags, transitiveTags, sourceIdentity)).build();
        SessionScopeTemplate.parse(ruleId, granted);  // its complaints are keyed relative to the role
        return granted;
    }
}

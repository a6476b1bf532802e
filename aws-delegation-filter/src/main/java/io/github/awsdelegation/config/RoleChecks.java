package io.github.awsdelegation.config;

import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.sts.internal.Partition;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.sts.saml.SamlSettings;
import java.util.List;

/**
 * Checks the configured roles against the rest of the configuration, so that a role that could never be
 * issued fails the deployment instead of a request: a role assumed with SAML needs the {@code saml} section,
 * and a role of another partition than {@code sts.region}'s must name a region of its own partition.
 */
final class RoleChecks {

    private RoleChecks() {
    }

    static void check(List<RoleRule> rules, StsSettings sts, SamlSettings saml) {
        for (int i = 0; i < rules.size(); i++) {
            if (!(rules.get(i) instanceof DeclarativeRule rule)) {
                continue;
            }
            for (int j = 0; j < rule.roles().size(); j++) {
                RoleGrant role = rule.roles().get(j);
                String key = "rules[" + i + "].roles[" + j + "]";
                if (role.federation() == RoleGrant.Federation.SAML && saml == null) {
                    throw new ConfigurationException(key + ".federation", "role " + role.roleArn() + " is assumed with SAML (its "
                            + "principal is an IAM SAML provider), which needs the saml section: configure saml, or set "
                            + "federation: web-identity");
                }
                Partition partition = Partition.of(role.partition());
                if (role.regionName().isEmpty() && !partition.contains(sts.region())) {
                    throw new ConfigurationException(key + ".region", "role " + role.roleArn() + " is in partition "
                            + partition + ", but sts.region " + sts.region() + " is not: give the role a region of "
                            + partition + ", e.g. region: " + partition.defaultRegion());
                }
            }
        }
    }
}

package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * A rule bean the configuration places first ({@code - bean: vip-customers}): VIP customers get the admin role,
 * although their connection (social) would make them buyers. It consults another bean.
 */
@ApplicationScoped
public class VipCustomerRule implements RoleRule {

    @Inject
    VipRegistry registry;

    @Override
    public String id() {
        return "vip-customers";
    }

    @Override
    public Optional<RuleMatch> match(VerifiedIdentity identity) {
        return registry.isVip(identity.subject())
                ? Optional.of(new RuleMatch(List.of(RoleGrant.of("arn:aws:iam::123456789012:role/pet-shop-admin")),
                        "listed as a VIP customer"))
                : Optional.empty();
    }
}

package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** A rule bean the configuration does not place: after the document's rules, before {@link AnyoneElseRule} (priority 10 < 20). */
@ApplicationScoped
@Priority(10)
public class PartnerRule implements RoleRule {

    @Override
    public String id() {
        return "partners";
    }

    @Override
    public Optional<RuleMatch> match(VerifiedIdentity identity) {
        return identity.subject().startsWith("partner|")
                ? Optional.of(new RuleMatch(List.of(RoleGrant.of("arn:aws:iam::123456789012:role/pet-shop-buyer")),
                        "a partner's user"))
                : Optional.empty();
    }
}

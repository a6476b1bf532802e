package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** The last rule bean (priority 20): anybody no other rule matched gets the buyer role. */
@ApplicationScoped
@Priority(20)
public class AnyoneElseRule implements RoleRule {

    @Override
    public String id() {
        return "anyone-else";
    }

    @Override
    public Optional<RuleMatch> match(VerifiedIdentity identity) {
        return Optional.of(new RuleMatch(List.of(RoleGrant.of("arn:aws:iam::123456789012:role/pet-shop-buyer")),
                "no other rule matched"));
    }
}

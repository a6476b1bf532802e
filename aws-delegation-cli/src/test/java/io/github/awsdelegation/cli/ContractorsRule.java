package io.github.awsdelegation.cli;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.List;
import java.util.Optional;

/** A rule in code, as an app would write one: contractors (a claim) get the reports role. It does not explain itself. */
public final class ContractorsRule implements RoleRule {

    static final RoleGrant REPORTS = RoleGrant.of("arn:aws:iam::123456789012:role/pet-shop-reports");

    @Override
    public String id() {
        return "contractors";
    }

    @Override
    public Optional<RuleMatch> match(VerifiedIdentity identity) {
        return "contractor".equals(identity.claims().get("employment"))
                ? Optional.of(new RuleMatch(List.of(REPORTS), "employment is contractor")) : Optional.empty();
    }

    @Override
    public List<RoleGrant> grants() {
        return List.of(REPORTS);
    }
}

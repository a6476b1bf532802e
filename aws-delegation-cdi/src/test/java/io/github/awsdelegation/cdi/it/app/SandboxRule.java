package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * A rule bean that grants testers a harmless role named like the production admin role ({@code pet-shop-admin}); in
 * AWS it would be another account's, here a path tells it apart ({@code CdiEnvironment.SANDBOX_ADMIN_ROLE_ARN}). It does not declare the grant: {@code @RequiresAwsRole("pet-shop-admin")} still means the
 * production role, the only declared one of that name, and the sandbox role does not pass it.
 */
@ApplicationScoped
@Priority(5)
public class SandboxRule implements RoleRule {

    @Override
    public String id() {
        return "sandbox";
    }

    @Override
    public Optional<RuleMatch> match(VerifiedIdentity identity) {
        return identity.subject().startsWith("sandbox|")
                ? Optional.of(new RuleMatch(List.of(RoleGrant.of("arn:aws:iam::123456789012:role/sandbox/pet-shop-admin")),
                        "a tester"))
                : Optional.empty();
    }
}

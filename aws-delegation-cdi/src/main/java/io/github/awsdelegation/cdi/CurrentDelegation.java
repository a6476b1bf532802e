package io.github.awsdelegation.cdi;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.cdi.internal.RequestDelegation;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleRules;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;

/**
 * The current user's AWS delegation, for the HTTP request being handled on the calling thread: who the user
 * is, which role the rules granted and why, and the temporary credentials STS issued.
 *
 * <pre>{@code
 * @Inject CurrentDelegation aws;
 *
 * aws.identity().subject();          // auth0|5f7c...
 * aws.decision().role().roleName();  // pet-shop-admin
 * aws.credentials();                 // AwsSessionCredentials for an SDK client
 * }</pre>
 *
 * <p>Application-scoped and stateless: it can be injected anywhere, servlets and singletons included, and
 * every call answers for the request on the calling thread. Where there is no delegation, calls throw
 * {@link NoDelegationException} with a message that says why: outside an HTTP request, or in a request the
 * aws-delegation filter did not handle.
 */
@ApplicationScoped
public class CurrentDelegation {

    @Inject
    RequestDelegation request;

    /**
     * Returns the current request's delegation.
     *
     * @throws NoDelegationException outside an HTTP request, or for a request the filter did not handle
     */
    public Delegation get() {
        return inRequest(() -> {
            Optional<Delegation> delegation = request.delegation();
            if (delegation.isPresent()) {
                return delegation.get();
            }
            throw request.service().isPresent() ? NoDelegationException.notCovered(request.path())
                    : NoDelegationException.filterMissing(request.path());
        });
    }

    /** Tells whether the current request has a delegation, that is whether {@link #get()} would succeed. */
    public boolean isPresent() {
        try {
            get();
            return true;
        } catch (NoDelegationException e) {
            return false;
        }
    }

    /**
     * Returns the verified user.
     *
     * @throws NoDelegationException where there is no delegation
     */
    public VerifiedIdentity identity() {
        return get().identity();
    }

    /**
     * Returns the role decision: the granted role, the rule that granted it and why.
     *
     * @throws NoDelegationException where there is no delegation
     */
    public RoleDecision decision() {
        return get().decision();
    }

    /**
     * Returns the user's temporary credentials, ready for any AWS SDK v2 client: the same object throughout the request.
     *
     * @throws NoDelegationException where there is no delegation
     */
    public AwsSessionCredentials credentials() {
        Delegation delegation = get();
        return inRequest(() -> request.credentials(delegation));
    }

    /**
     * Returns the user's temporary credentials with their expiration and assumed role.
     *
     * @throws NoDelegationException where there is no delegation
     */
    public IssuedCredentials issuedCredentials() {
        return get().credentials();
    }

    /**
     * Tells whether the user's role for this request is one of these, as {@link RequiresAwsRole} checks: compared by
     * ARN. A role ARN stands for itself; a role name (compared without regard to case) stands for the one configured
     * role of that name ({@link io.github.awsdelegation.role.RoleRules#roleArnOf}), so a role of the same name in
     * another account is not it.
     *
     * @throws NoDelegationException    where there is no delegation
     * @throws IllegalArgumentException when a role name names several configured roles (the same name in two
     *                                  accounts) or none: write the ARN
     */
    public boolean hasRole(String... roles) {
        RoleDecision decision = decision();
        RoleRules rules = service().decider().rules();
        return Arrays.stream(roles).map(rules::roleArnOf).anyMatch(decision.role().roleArn()::equalsIgnoreCase);
    }

    /**
     * Returns the region in which the user's clients call AWS, the one whose STS endpoint issued the credentials: the
     * granted role's region when the configuration names one, otherwise {@code sts.region} when it is in the role's
     * partition, otherwise the partition's default region ({@link io.github.awsdelegation.sts.internal.Partition#regionFor}).
     *
     * @throws NoDelegationException where there is no delegation
     */
    public Region region() {
        RoleDecision decision = decision();
        return service().planner().regionFor(decision.role());
    }

    /**
     * Returns the filter's configuration.
     *
     * @throws NoDelegationException outside an HTTP request, or when the filter is not set up
     */
    public DelegationConfig config() {
        return service().config();
    }

    private DelegationService service() {
        return inRequest(() -> request.service().orElseThrow(() -> NoDelegationException.filterMissing(request.path())));
    }

    // Outside an HTTP request the request-scoped bean cannot be reached: say so, whichever way the container tells it.
    private static <T> T inRequest(Supplier<T> read) {
        try {
            return read.get();
        } catch (ContextNotActiveException e) {
            throw NoDelegationException.outsideRequest(e);
        } catch (NoDelegationException e) {
            throw e;
        } catch (IllegalStateException e) {
            // Weld's HttpServletRequest bean, in a request context that is not an HTTP request's.
            throw NoDelegationException.outsideRequest(e);
        }
    }
}

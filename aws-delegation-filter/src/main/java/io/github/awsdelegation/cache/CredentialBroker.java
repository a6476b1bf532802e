package io.github.awsdelegation.cache;

import io.github.awsdelegation.AccessDeniedException;
import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.budget.internal.StsBudgets;
import io.github.awsdelegation.internal.Listeners;
import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.role.RoleDecider;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.plan.SessionPlan;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.CredentialSource;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.sts.StsBudget;
import io.github.awsdelegation.sts.StsBudgetExceededException;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credential stage of the pipeline: obtains the credentials of a {@link SessionPlan} from the
 * {@link CredentialCache} (single flight, refresh ahead of expiry, eviction at logout), which calls the
 * {@link CredentialSource} of the role's STS operation on a miss. Each STS call is reported to the listeners once,
 * however many requests wait for it: issued, refreshed or failed; a refusal by STS goes through the
 * {@link RoleDecider}, the one place refusals are reported. Thread-safe.
 */
public final class CredentialBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialBroker.class);

    private final CredentialCache cache;
    private final CredentialSource source;
    private final RoleDecider decider;
    private final Listeners listeners;
    private final StsBudgets budgets;

    /**
     * Creates the broker; {@link io.github.awsdelegation.DelegationService} makes the one of an application. It closes
     * the cache and the source when it is closed.
     *
     * @param cache     keeps the credentials
     * @param source    calls STS
     * @param decider   to which refusals by STS are reported
     * @param listeners whom issued, refreshed and failed credentials are reported to
     */
    public CredentialBroker(CredentialCache cache, CredentialSource source, RoleDecider decider, Listeners listeners) {
        this(cache, source, decider, listeners, StsBudget.UNLIMITED, Clock.systemUTC());
    }

    /**
     * Creates the broker with an STS budget: a call for a user without cached credentials that would exceed it is
     * refused with {@link StsBudgetExceededException}; refreshes ahead of expiry are counted, never refused.
     */
    public CredentialBroker(CredentialCache cache, CredentialSource source, RoleDecider decider, Listeners listeners,
            StsBudget budget, Clock clock) {
        this.budgets = new StsBudgets(Objects.requireNonNull(budget, "budget"), clock);
        this.cache = Objects.requireNonNull(cache, "cache");
        this.source = Objects.requireNonNull(source, "source");
        this.decider = Objects.requireNonNull(decider, "decider");
        this.listeners = Objects.requireNonNull(listeners, "listeners");
    }

    /**
     * Returns the credentials of a plan: cached ones with enough validity left, or new ones from STS.
     *
     * @param plan    the session to obtain
     * @param idToken supplies an ID token of the user still valid for STS; asked for only when STS needs it (a role
     *                assumed with web identity, on a miss or a refresh ahead of expiry, then on the refresh thread),
     *                so it may renew the token first
     * @throws DelegationException of the subclass that says what went wrong
     */
    public IssuedCredentials credentials(SessionPlan plan, Supplier<String> idToken) {
        Objects.requireNonNull(idToken, "idToken");
        // The ID token is left out until STS needs it (web identity only): the supplier may renew it first.
        Supplier<CredentialRequest> request = () -> new CredentialRequest(plan.identity(),
                plan.role().federation() == RoleGrant.Federation.WEB_IDENTITY ? idToken.get() : null, plan.role(),
                plan.sessionName(), plan.scope().sessionPolicy(), plan.duration(), plan.scope(), plan.region());
        return cache.get(plan.cacheKey(), () -> issue(plan, request.get(), false), () -> issue(plan, request.get(), true));
    }

    /** Drops a user's cached credentials (at logout, or when the user's HTTP session ends). */
    public void evictUser(String issuer, String subject) {
        cache.invalidateUser(issuer, subject);
        LOG.debug("Evicted cached credentials of subject={}", LogSafe.of(subject));
    }

    /** Returns the number of cached credentials (approximate while loads are in flight). */
    public long size() {
        return cache.size();
    }

    /**
     * Returns the store credentials are kept in: {@link CredentialStore#reachable()} for a readiness view,
     * {@link CredentialStore#fallbackActive()} and {@link CredentialStore#fallbacks()} for metrics.
     */
    public CredentialStore store() {
        return cache.store();
    }

    // One STS call, reported to the listeners once (however many requests wait for it).
    private IssuedCredentials issue(SessionPlan plan, CredentialRequest request, boolean refresh) {
        IssuedCredentials issued;
        try {
            String account = plan.role().roleArn().split(":")[4];
            if (refresh) {
                budgets.countRefresh(account, plan.region().id());
            } else {
                budgets.admitCold(plan.identity().issuer() + ' ' + plan.identity().subject(), account, plan.region().id());
            }
            issued = source.issue(request);
        } catch (AccessDeniedException e) {
            // A refusal (403), not a failure: a SAML assertion can refuse a user's values too.
            throw decider.refuse(plan.identity(), plan.decision().ruleId(), plan.role().roleArn(), null, e, plan.entryPoint());
        } catch (StsBudgetExceededException e) {
            LOG.warn("STS budget: {} refused for subject={} role={}: {}", e.budget(), LogSafe.of(plan.identity().subject()),
                    plan.role().roleArn(), e.getMessage());
            listeners.tell(DelegationEvent.failed(plan.identity(), plan.decision(), e.getMessage(), plan.entryPoint()));
            throw e;
        } catch (RuntimeException e) {
            String reason = e instanceof DelegationException ? e.getMessage() : "unexpected " + e.getClass().getName();
            listeners.tell(DelegationEvent.failed(plan.identity(), plan.decision(), reason, plan.entryPoint()));
            throw e;
        }
        LOG.info("{} credentials: subject={} role={} rule={} assumedRoleId={} expiration={}", refresh ? "Refreshed" : "Issued",
                LogSafe.of(plan.identity().subject()), plan.role().roleArn(), plan.decision().ruleId(),
                LogSafe.of(issued.assumedRoleId()), issued.expiration());
        listeners.tell(DelegationEvent.issued(plan.identity(), plan.decision(), issued, refresh, plan.entryPoint()));
        return issued;
    }

    @Override
    public void close() {
        try {
            cache.close();
        } finally {
            source.close();
        }
    }

    @Override
    public String toString() {
        return "CredentialBroker[size=" + cache.size() + "]";
    }
}

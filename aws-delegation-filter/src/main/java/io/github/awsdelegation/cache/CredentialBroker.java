package io.github.awsdelegation.cache;

import io.github.awsdelegation.AccessDeniedException;
import io.github.awsdelegation.DelegationEvent;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.internal.CurrentRequest;
import io.github.awsdelegation.budget.internal.StsBudgets;
import io.github.awsdelegation.internal.Listeners;
import io.github.awsdelegation.metrics.internal.Telemetry;
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
import java.time.Duration;
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
    private final Telemetry telemetry;

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
        this(cache, source, decider, listeners, new Telemetry());
    }

    /**
     * Creates the broker, measuring its cache reads and STS calls, and tracing the calls.
     *
     * @param cache     keeps the credentials
     * @param source    calls STS
     * @param decider   to which refusals by STS are reported
     * @param listeners whom issued, refreshed and failed credentials are reported to
     * @param telemetry where cache reads and STS calls are measured and traced
     */
    public CredentialBroker(CredentialCache cache, CredentialSource source, RoleDecider decider, Listeners listeners,
            Telemetry telemetry) {
        this(cache, source, decider, listeners, telemetry, StsBudget.UNLIMITED, Clock.systemUTC());
    }

    /**
     * Creates the broker with an STS budget: a call for a user without cached credentials that would exceed it is
     * refused with {@link StsBudgetExceededException} (reported as {@link DelegationEvent.Type#THROTTLED}); refreshes
     * ahead of expiry are counted, never refused.
     *
     * @param budget how many STS calls may be made per user and per account and Region
     * @param clock  the budgets' time
     */
    public CredentialBroker(CredentialCache cache, CredentialSource source, RoleDecider decider, Listeners listeners,
            Telemetry telemetry, StsBudget budget, Clock clock) {
        this.budgets = new StsBudgets(Objects.requireNonNull(budget, "budget"), clock);
        this.cache = Objects.requireNonNull(cache, "cache");
        this.source = Objects.requireNonNull(source, "source");
        this.decider = Objects.requireNonNull(decider, "decider");
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
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
        // A refresh runs on the refresh thread: its events name the request that started it.
        String requestId = CurrentRequest.id();
        boolean[] missed = {false};
        try {
            return cache.get(plan.cacheKey(), () -> {
                missed[0] = true;
                return issue(plan, request.get(), false, null);
            }, () -> refresh(plan, request, requestId));
        } finally {
            telemetry.measure(m -> m.cacheRead(!missed[0]));
        }
    }

    private IssuedCredentials refresh(SessionPlan plan, Supplier<CredentialRequest> request, String requestId) {
        try {
            IssuedCredentials refreshed = issue(plan, request.get(), true, requestId);
            telemetry.measure(m -> m.cacheRefresh("success"));
            return refreshed;
        } catch (RuntimeException e) {
            telemetry.measure(m -> m.cacheRefresh("failure"));
            throw e;
        }
    }

    /**
     * Drops a user's cached credentials, as an operator asks ({@link DelegationEvent.EvictionCause#ADMIN}); reported.
     */
    public void evictUser(String issuer, String subject) {
        evictUser(issuer, subject, null, DelegationEvent.EvictionCause.ADMIN, EntryPoint.ADMIN);
    }

    /**
     * Drops a user's cached credentials and reports it ({@link DelegationEvent.Type#EVICTED}).
     *
     * @param issuer     the user's issuer
     * @param subject    the user's subject
     * @param sessionId  the OIDC session ({@code sid}) that ended, or {@code null}
     * @param cause      why: logout, end of the HTTP session, back-channel logout, an operator
     * @param entryPoint where the eviction came from
     */
    public void evictUser(String issuer, String subject, String sessionId, DelegationEvent.EvictionCause cause,
            EntryPoint entryPoint) {
        cache.invalidateUser(issuer, subject);
        LOG.debug("Evicted cached credentials of subject={} ({})", LogSafe.of(subject), cause);
        listeners.tell(DelegationEvent.evicted(issuer, subject, sessionId, cause, entryPoint));
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
    private IssuedCredentials issue(SessionPlan plan, CredentialRequest request, boolean refresh, String requestId) {
        try (var scope = requestId == null ? null : CurrentRequest.open(requestId)) {
            return issue(plan, request, refresh);
        }
    }

    private IssuedCredentials issue(SessionPlan plan, CredentialRequest request, boolean refresh) {
        IssuedCredentials issued;
        String operation = operationOf(plan.role().federation());
        long start = System.nanoTime();
        try {
            String account = plan.role().roleArn().split(":")[4];
            if (refresh) {
                budgets.countRefresh(account, plan.region().id());
            } else {
                budgets.admitCold(plan.identity().issuer() + ' ' + plan.identity().subject(), account, plan.region().id());
            }
            issued = telemetry.inSpan("STS " + operation, () -> source.issue(request),
                    "rpc.system", "aws-api", "rpc.service", "STS", "rpc.method", operation,
                    "cloud.region", plan.region().id(), "aws.delegation.rule", plan.decision().ruleId());
        } catch (StsBudgetExceededException e) {
            String limit = e.budget() == StsBudgetExceededException.Budget.USER ? "user"
                    : "account-region:" + plan.role().roleArn().split(":")[4] + "/" + plan.region().id();
            LOG.warn("STS budget {} spent: refused subject={} role={}: {}", limit, LogSafe.of(plan.identity().subject()),
                    plan.role().roleArn(), e.getMessage());
            listeners.tell(DelegationEvent.throttled(plan, limit, e.retryAfter(), e.getMessage()));
            throw e;
        } catch (AccessDeniedException e) {
            // A refusal (403), not a failure: a SAML assertion can refuse a user's values too.
            DelegationEvent denial = DelegationEvent.denied(plan, e);
            measureCall(operation, "denied", denial.errorCode(), start);
            throw decider.refuse(denial, e);
        } catch (RuntimeException e) {
            String reason = e instanceof DelegationException ? e.getMessage() : "unexpected " + e.getClass().getName();
            DelegationEvent failure = DelegationEvent.failed(plan, reason, e);
            measureCall(operation, "failure", failure.errorCode(), start);
            listeners.tell(failure);
            throw e;
        }
        measureCall(operation, "success", null, start);
        LOG.info("{} credentials: subject={} role={} rule={} assumedRoleId={} expiration={} stsRequestId={}",
                refresh ? "Refreshed" : "Issued", LogSafe.of(plan.identity().subject()), plan.role().roleArn(),
                plan.decision().ruleId(), LogSafe.of(issued.assumedRoleId()), issued.expiration(),
                LogSafe.of(issued.stsRequestId()));
        listeners.tell(DelegationEvent.issued(plan, issued, refresh));
        return issued;
    }

    private void measureCall(String operation, String outcome, String errorCode, long start) {
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        telemetry.measure(m -> m.stsCall(operation, outcome, errorCode, latency));
    }

    /** Returns the STS operation that issues a role's credentials. */
    static String operationOf(RoleGrant.Federation federation) {
        return switch (federation) {
            case WEB_IDENTITY -> "AssumeRoleWithWebIdentity";
            case SAML -> "AssumeRoleWithSAML";
            case ASSUME_ROLE -> "AssumeRole";
        };
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

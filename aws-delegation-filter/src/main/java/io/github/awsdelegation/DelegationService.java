package io.github.awsdelegation;

import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.cache.CacheKey;
import io.github.awsdelegation.cache.SessionKeys;
import io.github.awsdelegation.cache.CredentialCache;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.role.RoleRules;
import io.github.awsdelegation.scope.RoleSessionNames;
import io.github.awsdelegation.scope.ScopeRejectedException;
import io.github.awsdelegation.scope.ScopeConfigurationException;
import io.github.awsdelegation.scope.SessionDurations;
import io.github.awsdelegation.scope.SessionScope;
import io.github.awsdelegation.scope.SessionScopeTemplate;
import io.github.awsdelegation.scope.UserDataInGrants;
import io.github.awsdelegation.sts.AssumeRoleCredentialIssuer;
import io.github.awsdelegation.sts.DurationLearningCredentialIssuer;
import io.github.awsdelegation.sts.CredentialIssuer;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.sts.PerRoleCredentialIssuer;
import io.github.awsdelegation.sts.WebIdentityCredentialIssuer;
import io.github.awsdelegation.sts.saml.SamlAssertionFactory;
import io.github.awsdelegation.sts.saml.SamlCredentialIssuer;
import io.github.awsdelegation.token.IdTokenValidator;
import io.github.awsdelegation.token.VerifiedIdentity;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline without the servlet: ID token → verified identity → role decision → credentials.
 * The filter, the CDI module and the endpoints all go through it; it is thread-safe and meant to live as
 * long as the application.
 */
public final class DelegationService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DelegationService.class);

    private final DelegationConfig config;
    private final IdTokenValidator validator;
    // Replaced (never mutated) when rules are contributed at run time, e.g. CDI rule beans.
    private volatile RoleRules rules;
    private final CredentialIssuer issuer;
    private final CredentialCache cache;
    private final ExecutorService refreshExecutor;
    /** At most this many (rule, grant) templates are kept: grants are constants, so a real app has a handful. */
    static final int MAX_SCOPE_TEMPLATES = 1_000;

    /** A rule that has made more distinct grants than this is making per-user grants: it is warned about, once. */
    static final int MANY_GRANTS_PER_RULE = 100;

    // A template per (rule, grant): looked up on every request, so a record key, never a string built from them.
    // Bounded: a rule in code that builds a grant per user would otherwise grow it for ever.
    private final Cache<ScopeKey, SessionScopeTemplate> scopes = Caffeine.newBuilder().maximumSize(MAX_SCOPE_TEMPLATES)
            .executor(Runnable::run).build();
    // Per rule id (rules are few): how many templates it has caused to be made, and whether it was warned about.
    private final Map<String, AtomicInteger> grantsMadeByRule = new ConcurrentHashMap<>();

    private record ScopeKey(String ruleId, RoleGrant role) {
    }
    private final SessionDurations durations = new SessionDurations();
    private final List<DelegationListener> listeners = new CopyOnWriteArrayList<>();

    private DelegationService(DelegationConfig config, IdTokenValidator validator, CredentialIssuer issuer, Clock clock) {
        this.config = config;
        this.validator = validator;
        this.rules = RoleRules.of(config.rules());
        // A duration over a role's maximum costs one retry, once per role.
        this.issuer = new DurationLearningCredentialIssuer(issuer, durations);
        this.refreshExecutor = refreshExecutor();
        this.cache = CredentialCache.builder()
                .clock(clock)
                .refreshAhead(config.cache().refreshAhead())
                .maximumSize(config.cache().maximumSize())
                .loadTimeout(config.sts().callTimeout().plusSeconds(1))
                .refreshExecutor(refreshExecutor)
                .build();
    }

    /**
     * Builds the pipeline for a configuration: the ID token validator (with OIDC discovery) and the STS issuers
     * (web identity, AssumeRole, and SAML when configured), chosen per role.
     *
     * @throws ConfigurationException when a part cannot be built from the configuration
     */
    public static DelegationService create(DelegationConfig config) {
        return create(config, Clock.systemUTC());
    }

    /** Builds the pipeline with a given clock, for tests. */
    public static DelegationService create(DelegationConfig config, Clock clock) {
        IdTokenValidator validator;
        try {
            validator = config.oidc().validatorBuilder().clock(clock).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("oidc", e.getMessage(), e);
        }
        return new DelegationService(config, validator, credentialIssuer(config, clock), clock);
    }

    // Web identity and AssumeRole always (AssumeRole resolves the app's credentials only when a role uses it); SAML
    // too when the module is configured as a SAML identity provider.
    private static CredentialIssuer credentialIssuer(DelegationConfig config, Clock clock) {
        CredentialIssuer webIdentity = new WebIdentityCredentialIssuer(config.sts());
        CredentialIssuer assumeRole = config.sts().credentials() != null
                ? new AssumeRoleCredentialIssuer(config.sts(), config.sts().credentials())
                : AssumeRoleCredentialIssuer.withDefaultCredentials(config.sts());
        if (config.saml() == null) {
            return new PerRoleCredentialIssuer(webIdentity, null, assumeRole);
        }
        return new PerRoleCredentialIssuer(webIdentity, new SamlCredentialIssuer(config.sts(), new SamlAssertionFactory(config.saml(), clock)),
                assumeRole);
    }

    /** Builds the pipeline from parts, for tests and for apps that assemble their own. */
    public static DelegationService create(DelegationConfig config, IdTokenValidator validator, CredentialIssuer issuer,
            Clock clock) {
        return new DelegationService(config, validator, issuer, clock);
    }

    /** Returns the configuration. */
    public DelegationConfig config() {
        return config;
    }

    /** Returns the ID token validator. */
    public IdTokenValidator validator() {
        return validator;
    }

    /** Returns the role rules. */
    public RoleRules rules() {
        return rules;
    }

    /** Returns the credential cache. */
    public CredentialCache cache() {
        return cache;
    }

    /**
     * Adds rules contributed at run time, such as CDI rule beans: each takes the place of the configuration's
     * {@code - bean: <its id>} entry ({@link io.github.awsdelegation.role.RulePlaceholder}), or else follows
     * the rules already there, in the given order. Requests in flight keep the rules they started with.
     *
     * @throws ConfigurationException when a contributed rule's id is already taken
     */
    public synchronized void addRules(List<? extends RoleRule> contributed) {
        try {
            rules = rules.with(contributed);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("rules", e.getMessage(), e);
        }
    }

    /** Registers a listener of issued, refreshed, denied and failed credentials. */
    public void addListener(DelegationListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener registered with {@link #addListener}. */
    public void removeListener(DelegationListener listener) {
        listeners.remove(listener);
    }

    /**
     * Runs the pipeline for one request.
     *
     * @param idToken       the user's ID token
     * @param expectedNonce the nonce the login sent, or {@code null}
     * @param requestedRole the role the client asked for (name or ARN), or {@code null} for the default
     * @throws DelegationException of the subclass that says what went wrong
     */
    public Delegation delegate(String idToken, String expectedNonce, String requestedRole) {
        VerifiedIdentity identity = validator.validate(idToken, expectedNonce);
        return delegate(identity, () -> idToken, requestedRole);
    }

    /**
     * Runs the pipeline for a user verified earlier, e.g. at the start of a sign-in session: decides the role and
     * obtains (or returns cached) credentials. The ID token is asked for only when STS needs it, that is for a role
     * assumed with web identity when the cache has no credentials or refreshes them ahead of expiry (then on the
     * refresh thread); the supplier may renew it first.
     *
     * @param identity      the verified user
     * @param idToken       supplies an ID token of this user still valid for the STS call
     * @param requestedRole the role the client asked for (name or ARN), or {@code null} for the default
     * @throws DelegationException of the subclass that says what went wrong
     */
    public Delegation delegate(VerifiedIdentity identity, Supplier<String> idToken, String requestedRole) {
        RoleDecision decision;
        try {
            decision = rules.decide(identity, requestedRole);
        } catch (RoleDeniedException e) {
            notifyListeners(l -> l.denied(DelegationEvent.denied(identity, e.ruleId().orElse(null), null, requestedRole,
                    e.getMessage())));
            throw e;
        }
        return credentialsFor(identity, decision, idToken);
    }

    /**
     * Obtains (or returns cached) credentials for a user whose role is already decided.
     */
    public Delegation credentialsFor(VerifiedIdentity identity, String idToken, RoleDecision decision) {
        return credentialsFor(identity, decision, () -> idToken);
    }

    /**
     * Obtains (or returns cached) credentials for a user whose role is already decided, asking for the ID token only
     * when STS needs it (a role assumed with web identity, on a cache miss or a refresh ahead of expiry).
     */
    public Delegation credentialsFor(VerifiedIdentity identity, RoleDecision decision, Supplier<String> idToken) {
        RoleGrant role = decision.role();
        SessionScope scope;
        try {
            scope = scopeFor(decision.ruleId(), role, identity);
        } catch (ScopeRejectedException e) {
            notifyListeners(l -> l.denied(DelegationEvent.denied(identity, decision.ruleId(), role.roleArn(), null,
                    e.getMessage())));
            throw e;
        }
        Duration duration = durationFor(role);
        // The ID token is left out until STS needs it (web identity only): the supplier may renew it first.
        CredentialRequest shape = CredentialRequest.of(identity, null, role, RoleSessionNames.of(identity.subject()),
                scope, duration);
        Supplier<CredentialRequest> request = () -> role.federation() == RoleGrant.Federation.WEB_IDENTITY
                ? CredentialRequest.of(identity, idToken.get(), role, shape.sessionName(), scope, duration)
                : shape;
        // Everything that shapes the session is in the key, the user's SAML attribute and tag values and token tag
        // claims too: two rules scoping one role differently, or one user before and after a change of team, never share.
        CacheKey key = SessionKeys.of(shape, config.saml());
        var credentials = cache.get(key, () -> issue(request.get(), decision, false), () -> issue(request.get(), decision, true));
        return new Delegation(identity, decision, credentials);
    }

    /**
     * Renders a role's scoping (session policy, managed policies, session tags, source identity) for a user, from the
     * role's template, which is read once per rule and role.
     *
     * @throws ScopeRejectedException when the user's values do not fit STS's limits (answered 403)
     * @throws ConfigurationException when a rule in code grants a role whose scoping cannot work
     */
    public SessionScope scopeFor(String ruleId, RoleGrant role, VerifiedIdentity identity) {
        return scopes.get(new ScopeKey(ruleId, role), k -> newScopeTemplate(ruleId, role, identity)).render(identity);
    }

    /** Returns how many (rule, grant) templates are kept (at most {@value #MAX_SCOPE_TEMPLATES}). */
    long scopeTemplateCount() {
        scopes.cleanUp();
        return scopes.estimatedSize();
    }

    /** Returns how many templates a rule has caused to be made (its distinct grants, counting again after eviction). */
    int grantsMadeBy(String ruleId) {
        AtomicInteger made = grantsMadeByRule.get(ruleId);
        return made == null ? 0 : made.get();
    }

    // A grant seen for the first time: made by the configuration (checked at start-up) or by a rule in code, which is
    // checked here, with the user whose request brought it.
    private SessionScopeTemplate newScopeTemplate(String ruleId, RoleGrant role, VerifiedIdentity identity) {
        // A grant the rule declared ahead (the document's, or a rule's grants()) is a constant by construction.
        boolean declared = rules.rules().stream().filter(r -> r.id().equals(ruleId)).anyMatch(r -> r.grants().contains(role));
        try {
            if (!declared) {
                UserDataInGrants.check(role, identity);
            }
        } catch (ScopeConfigurationException e) {
            throw new ConfigurationException("rules[" + ruleId + "].roles[" + role.roleName() + "]." + e.key(),
                    "rule '" + ruleId + "' " + e.reason(), e);
        }
        int made = grantsMadeByRule.computeIfAbsent(ruleId, id -> new AtomicInteger()).incrementAndGet();
        if (made == MANY_GRANTS_PER_RULE + 1) {
            LOG.warn("Rule '{}' has granted more than {} distinct roles/scopings: it seems to build a grant per user. Grants "
                    + "are constants: build each RoleGrant once and write per-user values as ${...} variables of its session "
                    + "policy, tags and source identity (escaped and checked per user). At most {} are kept; the least recently "
                    + "used are dropped and parsed again when needed", ruleId, MANY_GRANTS_PER_RULE, MAX_SCOPE_TEMPLATES);
        }
        return scopeTemplate(ruleId, role);
    }

    /**
     * Returns the session duration to ask for a role: its {@code sessionDuration}, else the configured default, at
     * most what STS has accepted for the role since it refused a longer one.
     */
    public Duration durationFor(RoleGrant role) {
        return durations.choose(role.roleArn(), role.sessionDuration() != null ? role.sessionDuration() : config.sts().sessionDuration(),
                false);
    }

    private static SessionScopeTemplate scopeTemplate(String ruleId, RoleGrant role) {
        try {
            return SessionScopeTemplate.parse(ruleId, role);
        } catch (ScopeConfigurationException e) {
            // Only rules in code get here: the configuration loader checks the document's roles at startup.
            throw new ConfigurationException("rules[" + ruleId + "].roles[" + role.roleName() + "]." + e.key(), e.reason(), e);
        }
    }

    // One STS call, reported to the listeners once (however many requests wait for it).
    private IssuedCredentials issue(CredentialRequest request, RoleDecision decision, boolean refresh) {
        VerifiedIdentity identity = request.identity();
        IssuedCredentials issued;
        try {
            issued = issuer.issue(request);
        } catch (AccessDeniedException e) {
            // A refusal (403), not a failure: a SAML assertion can refuse a user's values too.
            notifyListeners(l -> l.denied(DelegationEvent.denied(identity, decision.ruleId(), request.role().roleArn(), null,
                    e.getMessage())));
            throw e;
        } catch (RuntimeException e) {
            String reason = e instanceof DelegationException ? e.getMessage() : "unexpected " + e.getClass().getName();
            notifyListeners(l -> l.failed(DelegationEvent.failed(identity, decision, reason)));
            throw e;
        }
        LOG.info("{} credentials: subject={} role={} rule={} assumedRoleId={} expiration={}", refresh ? "Refreshed" : "Issued",
                LogSafe.of(identity.subject()), request.role().roleArn(), decision.ruleId(), LogSafe.of(issued.assumedRoleId()),
                issued.expiration());
        DelegationEvent event = DelegationEvent.issued(identity, decision, issued, refresh);
        notifyListeners(refresh ? l -> l.refreshed(event) : l -> l.issued(event));
        return issued;
    }

    private void notifyListeners(Consumer<DelegationListener> call) {
        for (DelegationListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("A DelegationListener ({}) failed; the user's outcome is unchanged", listener.getClass().getName(), e);
            }
        }
    }

    /** Drops a user's cached credentials (at logout, or when the user's HTTP session ends). */
    public void evict(String issuer, String subject) {
        cache.invalidateUser(issuer, subject);
        LOG.debug("Evicted cached credentials of subject={}", LogSafe.of(subject));
    }

    @Override
    public void close() {
        refreshExecutor.shutdownNow();
        cache.close();
        issuer.close();
        validator.close();
    }

    private static ExecutorService refreshExecutor() {
        AtomicInteger n = new AtomicInteger();
        // Few threads and a bounded queue: a refresh that cannot be queued is retried by a later request.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "aws-delegation-refresh-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}

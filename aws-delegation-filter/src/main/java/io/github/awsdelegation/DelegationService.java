package io.github.awsdelegation;

import io.github.awsdelegation.audit.AuditTrail;
import io.github.awsdelegation.cache.CredentialBroker;
import io.github.awsdelegation.cache.CredentialCache;
import io.github.awsdelegation.cache.CredentialStore;
import io.github.awsdelegation.cache.RevocationStore;
import io.github.awsdelegation.cache.StoreUnavailableException;
import io.github.awsdelegation.cache.internal.CredentialStores;
import io.github.awsdelegation.cache.internal.LocalRevocationStore;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.explain.Explainer;
import io.github.awsdelegation.health.DelegationHealth;
import io.github.awsdelegation.internal.CurrentRequest;
import io.github.awsdelegation.internal.Listeners;
import io.github.awsdelegation.internal.SessionRevocations;
import io.github.awsdelegation.metrics.internal.Telemetry;
import io.github.awsdelegation.plan.SessionPlan;
import io.github.awsdelegation.plan.SessionPlanner;
import io.github.awsdelegation.role.RoleDecider;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleRules;
import io.github.awsdelegation.scope.internal.SessionDurations;
import io.github.awsdelegation.sts.AssumeRoleCredentialSource;
import io.github.awsdelegation.sts.CredentialSource;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.sts.WebIdentityCredentialSource;
import io.github.awsdelegation.sts.internal.DurationLearningCredentialSource;
import io.github.awsdelegation.sts.internal.PerRoleCredentialSource;
import io.github.awsdelegation.sts.saml.SamlAssertionFactory;
import io.github.awsdelegation.sts.saml.SamlCredentialSource;
import io.github.awsdelegation.sts.saml.internal.OpenSamlLibrary;
import io.github.awsdelegation.token.IdTokenValidator;
import io.github.awsdelegation.token.LogoutToken;
import io.github.awsdelegation.token.TokenRejectedException;
import io.github.awsdelegation.token.VerifiedIdentity;
import io.github.awsdelegation.token.internal.LogoutTokenVerifier;
import io.github.awsdelegation.token.internal.SafeText;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The pipeline without the servlet, wired from a configuration: ID token → verified identity ({@link #validator()})
 * → role decision ({@link #decider()}) → session plan ({@link #planner()}) → credentials ({@link #broker()}). Every
 * entry point — the filter, console and command-line sign-in, the role listing, {@code /delegation}, the CDI module —
 * runs these stages, so the same checks run and the same {@link DelegationEvent}s fire everywhere. It owns what must
 * be closed; it is thread-safe and meant to live as long as the application.
 */
public final class DelegationService implements AutoCloseable {

    private final DelegationConfig config;
    private final IdTokenValidator validator;
    private final Listeners listeners;
    private final RoleDecider decider;
    private final SessionPlanner planner;
    private final CredentialBroker broker;
    private final SamlAssertionFactory samlAssertions;
    private final ExecutorService refreshExecutor;
    private final Explainer explainer;
    private final DelegationHealth health;
    private final SessionRevocations revocations;

    private DelegationService(DelegationConfig config, IdTokenValidator validator, CredentialSource source,
            SamlAssertionFactory samlAssertions, SessionDurations durations, Clock clock) {
        this.config = config;
        this.listeners = new Listeners(clock);
        this.listeners.add(new AuditTrail());
        this.validator = validator;
        this.samlAssertions = samlAssertions;
        this.decider = new RoleDecider(RoleRules.of(config.rules()), listeners);
        this.planner = new SessionPlanner(decider, config.sts().sessionDuration(), config.sts().region(), config.saml(), durations);
        this.refreshExecutor = refreshExecutor();
        CredentialStore store = CredentialStores.create(config.cache(), clock, config.sts().callTimeout().multipliedBy(2),
                DelegationService.class.getClassLoader());
        CredentialCache cache = CredentialCache.builder()
                .clock(clock)
                .refreshAhead(config.cache().refreshAhead())
                .minimumValidity(config.cache().minimumValidity())
                .maximumSize(config.cache().maximumSize())
                .loadTimeout(config.sts().callTimeout().plusSeconds(1))
                .refreshExecutor(refreshExecutor)
                .store(store)
                .build();
        // A duration over a role's maximum costs one retry, once per role: the planner asks for less from then on.
        this.broker = new CredentialBroker(cache, new DurationLearningCredentialSource(source, durations), decider, listeners,
                validator.telemetry(), config.sts().budget(), clock);
        this.explainer = new Explainer(this, clock);
        this.health = DelegationHealth.of(this, clock);
        // No sign-in session outlives login.maxAge and no ID token its maximum age: a revocation is kept as long.
        Duration sessionLife = config.login() == null ? Duration.ZERO : config.login().maxAge();
        Duration tokenLife = validator.maxTokenAge().plus(validator.clockSkew());
        // A logout token's jti is remembered for as long as the token passes the time checks.
        Duration logoutTokenLife = LogoutTokenVerifier.MAX_AGE.plus(validator.clockSkew()).plus(validator.clockSkew());
        RevocationStore shared = store.revocationStore();
        this.revocations = new SessionRevocations(shared != null ? shared : new LocalRevocationStore(clock),
                sessionLife.compareTo(tokenLife) > 0 ? sessionLife : tokenLife, logoutTokenLife, clock);
    }

    /**
     * Builds the pipeline for a configuration: the ID token validator (with OIDC discovery) and the STS credential
     * sources (web identity, AssumeRole, and SAML when configured), chosen per role.
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
        SamlAssertionFactory assertions = samlAssertions(config, clock);
        // Web identity and AssumeRole always (AssumeRole resolves the app's credentials only when a role uses it); SAML
        // too when the module is configured as a SAML identity provider.
        CredentialSource assumeRole = config.sts().credentials() != null
                ? new AssumeRoleCredentialSource(config.sts(), config.sts().credentials())
                : AssumeRoleCredentialSource.withDefaultCredentials(config.sts());
        CredentialSource source = new PerRoleCredentialSource(new WebIdentityCredentialSource(config.sts()),
                assertions == null ? null : new SamlCredentialSource(config.sts(), assertions), assumeRole);
        return new DelegationService(config, validator, source, assertions, new SessionDurations(), clock);
    }

    /** Builds the pipeline from parts, for tests and for apps that assemble their own. */
    public static DelegationService create(DelegationConfig config, IdTokenValidator validator, CredentialSource source,
            Clock clock) {
        return new DelegationService(config, validator, source, samlAssertions(config, clock), new SessionDurations(), clock);
    }

    private static SamlAssertionFactory samlAssertions(DelegationConfig config, Clock clock) {
        if (config.saml() == null) {
            return null;
        }
        if (!OpenSamlLibrary.available()) {
            throw new ConfigurationException("saml", "the SAML identity provider needs OpenSAML, which is not on the class "
                    + "path: add the dependency " + OpenSamlLibrary.DEPENDENCY + " to the app, or remove the saml section "
                    + "(docs/dependencies.md)");
        }
        return new SamlAssertionFactory(config.saml(), clock);
    }

    /** Returns the configuration. */
    public DelegationConfig config() {
        return config;
    }

    /**
     * Returns where the stages report measurements and spans (the validator's): internal, for
     * {@link io.github.awsdelegation.metrics.DelegationMetrics}.
     */
    public Telemetry telemetry() {
        return validator.telemetry();
    }

    /** Returns the ID token validator: ID token → verified identity. */
    public IdTokenValidator validator() {
        return validator;
    }

    /** Returns the role decider: verified identity → role decision, and the one place refusals are reported. */
    public RoleDecider decider() {
        return decider;
    }

    /** Returns the session planner: role decision → session plan. */
    public SessionPlanner planner() {
        return planner;
    }

    /**
     * Returns the explainer of this service's rules and plans: "why does this user get (or not get) this role?", a dry
     * run of the decider and the planner that calls nothing outside (docs/operations.md, "Explain").
     */
    public Explainer explainer() {
        return explainer;
    }

    /**
     * Returns the readiness of this service: issuer discovery and keys, STS, the SAML signing certificate, the
     * credential store (docs/operations.md, "Health").
     */
    public DelegationHealth health() {
        return health;
    }

    /** Returns the credential broker: session plan → credentials, cached. */
    public CredentialBroker broker() {
        return broker;
    }

    /**
     * Returns the factory of the SAML responses this app signs as an identity provider (AssumeRoleWithSAML, console
     * and command-line sign-in), on this service's clock; empty without a {@code saml} section.
     */
    public Optional<SamlAssertionFactory> samlAssertions() {
        return Optional.ofNullable(samlAssertions);
    }

    /**
     * Cuts a user off now, for an administrator: every sign-in session of the user (the built-in login's, on the
     * user's next request) ends, every ID token of the user issued until now is refused, and the user's cached
     * credentials are dropped. Signing in again afterwards works; to keep the user out, disable the user at the
     * provider or deny the user in the role rules too. Credentials already handed out stay valid at AWS until they
     * expire; see docs/operations.md, "Cutting a user off".
     *
     * @param subject the user's {@code sub}, at the configured issuer
     * @throws StoreUnavailableException when a clustered {@code cache.store} cannot record
     *         the revocation now: this node's sessions and the credentials are cut, the other nodes' sessions are not yet;
     *         call it again once the store is back
     */
    public void evictSubject(String subject) {
        Objects.requireNonNull(subject, "subject");
        String issuer = validator.issuer().toString();
        try {
            revocations.revokeSubject(issuer, subject);
        } finally {
            broker.evictUser(issuer, subject, null, DelegationEvent.EvictionCause.ADMIN, EntryPoint.ADMIN);
        }
    }

    /**
     * Ends what a validated logout token (OpenID Connect Back-Channel Logout 1.0 §2.7) names, once: with a {@code sub},
     * all of the user's sign-in sessions and ID tokens issued until now (as {@link #evictSubject}), whether or not it
     * also names a {@code sid}; with only a {@code sid}, the sign-in sessions started in that provider session. The
     * user's cached credentials are dropped either way. A {@code sub} is taken to mean the user because providers send
     * one token for all of a user's sessions (Keycloak's administrator "Sign out" of a user names the {@code sid} of one
     * of them), so that an administrator's sign-out cuts the user off here too. The token's {@code jti} is recorded first (§2.6 rule 8): with a
     * clustered {@code cache.store}, on every node. See docs/operations.md, "Cutting a user off".
     *
     * @throws TokenRejectedException    when the token's {@code jti} was used before, on any node (a replay)
     * @throws StoreUnavailableException when the cluster's store cannot record the logout or check the {@code jti} now:
     *                                   this node ended the sessions it could; the provider should send the token again
     * @see IdTokenValidator#validateLogoutToken
     */
    public void logout(LogoutToken token) {
        if (token.jwtId() != null && !revocations.firstUse(token.issuer(), token.jwtId())) {
            throw new TokenRejectedException("Logout token rejected: jti " + SafeText.quote(token.jwtId())
                    + " was used before (a replayed logout token)");
        }
        String subject = token.subject();
        try {
            if (token.sessionId() != null) {
                String signedIn = revocations.revokeSession(token.issuer(), token.sessionId());
                subject = subject != null ? subject : signedIn;
            }
            // A sub ends all of the user's sessions, sid or not: Keycloak's "sign this user out" (admin) sends one token
            // with sub and the sid of one of the user's sessions for all of them (docs/operations.md).
            if (token.subject() != null) {
                revocations.revokeSubject(token.issuer(), token.subject());
            }
        } finally {
            if (subject != null) {
                broker.evictUser(token.issuer(), subject, token.sessionId(), DelegationEvent.EvictionCause.BACK_CHANNEL_LOGOUT,
                        EntryPoint.BACK_CHANNEL_LOGOUT);
            }
        }
    }

    /** Returns the record of revoked users and sessions, which every request's sign-in is checked against. */
    public SessionRevocations revocations() {
        return revocations;
    }

    /**
     * Registers a listener of what happens to users' AWS access: decisions, issued, refreshed, denied, failed and
     * throttled requests, evictions.
     */
    public void addListener(DelegationListener listener) {
        listeners.add(listener);
    }

    /** Removes a listener registered with {@link #addListener}. */
    public void removeListener(DelegationListener listener) {
        listeners.remove(listener);
    }

    /**
     * Runs the pipeline for one ID token, for the app's own code ({@link EntryPoint#APPLICATION}).
     *
     * @param idToken       the user's ID token
     * @param expectedNonce the nonce the login sent, or {@code null}
     * @param requestedRole the role the client asked for (name or ARN), or {@code null} for the default
     * @throws DelegationException of the subclass that says what went wrong
     */
    public Delegation delegate(String idToken, String expectedNonce, String requestedRole) {
        // Outside an HTTP request the call is its own request, with its own id in the events.
        try (var request = CurrentRequest.open(CurrentRequest.generate())) {
            VerifiedIdentity identity = validator.validate(idToken, expectedNonce);
            return delegate(identity, () -> idToken, requestedRole, EntryPoint.APPLICATION);
        }
    }

    /**
     * Runs the stages for a verified user: decides the role, plans the session and obtains (or returns cached)
     * credentials. The ID token is asked for only when STS needs it, that is for a role assumed with web identity when
     * the cache has no credentials or refreshes them ahead of expiry (then on the refresh thread); the supplier may
     * renew it first.
     *
     * @param identity      the verified user
     * @param idToken       supplies an ID token of this user still valid for the STS call
     * @param requestedRole the role the client asked for (name or ARN), or {@code null} for the default
     * @param entryPoint    where the request entered, named in the events
     * @throws DelegationException of the subclass that says what went wrong
     */
    public Delegation delegate(VerifiedIdentity identity, Supplier<String> idToken, String requestedRole,
            EntryPoint entryPoint) {
        return delegate(identity, idToken, decider.decide(identity, requestedRole, entryPoint), entryPoint);
    }

    /**
     * Runs the later stages for a role already decided ({@link RoleDecider#decide}): plans the session and obtains
     * (or returns cached) credentials, asking for the ID token only when STS needs it.
     *
     * @throws DelegationException of the subclass that says what went wrong
     */
    public Delegation delegate(VerifiedIdentity identity, Supplier<String> idToken, RoleDecision decision,
            EntryPoint entryPoint) {
        Objects.requireNonNull(entryPoint, "entryPoint");
        String revoked = revocations.revoked(identity);
        if (revoked != null) {
            throw new TokenRejectedException("ID token rejected: " + revoked);
        }
        return credentials(identity, idToken, decision, entryPoint);
    }

    /**
     * Runs the stages as {@link #delegate(VerifiedIdentity, Supplier, String, EntryPoint)} does for a user whose
     * revocation check this request already made where it verified the user ({@link SessionRevocations#clear}: the
     * filter's), so that it is not made twice. A proof made by another service's revocations is checked again.
     *
     * @throws DelegationException of the subclass that says what went wrong
     */
    public Delegation delegate(SessionRevocations.Cleared user, Supplier<String> idToken, String requestedRole,
            EntryPoint entryPoint) {
        Objects.requireNonNull(entryPoint, "entryPoint");
        VerifiedIdentity identity = user.identity();
        RoleDecision decision = decider.decide(identity, requestedRole, entryPoint);
        if (!user.checkedBy(revocations)) {
            return delegate(identity, idToken, decision, entryPoint);
        }
        return credentials(identity, idToken, decision, entryPoint);
    }

    private Delegation credentials(VerifiedIdentity identity, Supplier<String> idToken, RoleDecision decision,
            EntryPoint entryPoint) {
        SessionPlan plan = planner.plan(identity, decision, entryPoint);
        IssuedCredentials credentials = broker.credentials(plan, idToken);
        return new Delegation(identity, decision, credentials);
    }

    @Override
    public void close() {
        refreshExecutor.shutdownNow();
        try {
            broker.close();
        } finally {
            validator.close();
        }
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

    @Override
    public String toString() {
        return "DelegationService[" + config.oidc().issuer() + "]";
    }
}

package io.github.awsdelegation;

import io.github.awsdelegation.cache.CacheKey;
import io.github.awsdelegation.cache.CredentialCache;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRules;
import io.github.awsdelegation.scope.RoleSessionNames;
import io.github.awsdelegation.scope.SessionPolicyTemplate;
import io.github.awsdelegation.sts.CredentialIssuer;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.WebIdentityCredentialIssuer;
import io.github.awsdelegation.token.IdTokenValidator;
import io.github.awsdelegation.token.VerifiedIdentity;
import com.nimbusds.jose.JWSAlgorithm;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final RoleRules rules;
    private final CredentialIssuer issuer;
    private final CredentialCache cache;
    private final ExecutorService refreshExecutor;
    private final Map<String, SessionPolicyTemplate> policies = new ConcurrentHashMap<>();

    private DelegationService(DelegationConfig config, IdTokenValidator validator, CredentialIssuer issuer, Clock clock) {
        this.config = config;
        this.validator = validator;
        this.rules = RoleRules.of(config.rules());
        this.issuer = issuer;
        this.refreshExecutor = refreshExecutor();
        this.cache = CredentialCache.builder()
                .clock(clock)
                .refreshAhead(config.refreshAhead())
                .maximumSize(config.cacheMaximumSize())
                .loadTimeout(config.sts().callTimeout().plusSeconds(1))
                .refreshExecutor(refreshExecutor)
                .build();
    }

    /**
     * Builds the pipeline for a configuration: the ID token validator (with OIDC discovery) and the STS
     * web-identity issuer.
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
            validator = IdTokenValidator.builder()
                    .issuer(config.issuer())
                    .clientId(config.clientId())
                    .trustedAudiences(config.trustedAudiences())
                    .algorithms(config.algorithms().stream().map(JWSAlgorithm::parse).toList())
                    .clockSkew(config.clockSkew())
                    .maxTokenAge(config.maxTokenAge())
                    .groupsClaim(config.groupsClaim())
                    .connectionResolver(config.connectionResolver())
                    .clock(clock)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("oidc", e.getMessage(), e);
        }
        return new DelegationService(config, validator, new WebIdentityCredentialIssuer(config.sts()), clock);
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
     * Runs the pipeline for one request.
     *
     * @param idToken       the user's ID token
     * @param expectedNonce the nonce the login sent, or {@code null}
     * @param requestedRole the role the client asked for (name or ARN), or {@code null} for the default
     * @throws DelegationException of the subclass that says what went wrong
     */
    public Delegation delegate(String idToken, String expectedNonce, String requestedRole) {
        VerifiedIdentity identity = validator.validate(idToken, expectedNonce);
        RoleDecision decision = rules.decide(identity, requestedRole);
        return credentialsFor(identity, idToken, decision);
    }

    /**
     * Obtains (or returns cached) credentials for a user whose role is already decided.
     */
    public Delegation credentialsFor(VerifiedIdentity identity, String idToken, RoleDecision decision) {
        RoleGrant role = decision.role();
        String policy = role.sessionPolicy() == null ? null
                : policies.computeIfAbsent(decision.ruleId() + "\n" + role.roleArn(),
                        k -> SessionPolicyTemplate.parse(decision.ruleId(), role.sessionPolicy())).render(identity);
        Duration duration = role.sessionDuration() != null ? role.sessionDuration() : config.sessionDuration();
        CredentialRequest request = new CredentialRequest(identity, idToken, role,
                RoleSessionNames.of(identity.subject()), policy, duration);
        CacheKey key = CacheKey.of(identity.issuer(), identity.subject(), role.roleArn(), policy);
        var credentials = cache.get(key, () -> {
            var issued = issuer.issue(request);
            LOG.info("Issued credentials: subject={} role={} rule={} assumedRoleId={} expiration={}",
                    identity.subject(), role.roleArn(), decision.ruleId(), issued.assumedRoleId(), issued.expiration());
            return issued;
        });
        return new Delegation(identity, decision, credentials);
    }

    /** Drops a user's cached credentials (at logout, or when the user's HTTP session ends). */
    public void evict(String issuer, String subject) {
        cache.invalidateUser(issuer, subject);
        LOG.debug("Evicted cached credentials of subject={}", subject);
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

package io.github.awsdelegation.plan;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.role.RoleDecider;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.scope.internal.RoleSessionNames;
import io.github.awsdelegation.scope.ScopeConfigurationException;
import io.github.awsdelegation.scope.ScopeRejectedException;
import io.github.awsdelegation.scope.internal.SessionDurations;
import io.github.awsdelegation.scope.SessionScope;
import io.github.awsdelegation.scope.internal.SessionScopeTemplate;
import io.github.awsdelegation.scope.internal.UserDataInGrants;
import io.github.awsdelegation.sts.internal.Partition;
import io.github.awsdelegation.sts.saml.SamlAttributeMapping;
import io.github.awsdelegation.sts.saml.SamlSettings;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;

/**
 * The planning stage of the pipeline: turns a role decision for a verified user into one {@link SessionPlan} —
 * the role's scope rendered for the user, the duration (what STS has accepted for the role, {@link SessionDurations}),
 * the role session name, the region, and the user's values STS takes into the session. The region is worked out
 * here for every stage after it. A user whose values do not fit the role's scope is refused (403), reported through the
 * {@link RoleDecider}. Thread-safe.
 */
public final class SessionPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(SessionPlanner.class);

    /** The ID token claim from which AssumeRoleWithWebIdentity takes session tags and transitive tag keys. */
    public static final String TAGS_CLAIM = "https://aws.amazon.com/tags";

    /** The ID token claim from which AssumeRoleWithWebIdentity takes the source identity. */
    public static final String SOURCE_IDENTITY_CLAIM = "https://aws.amazon.com/source_identity";

    /** At most this many (rule, grant) templates are kept: grants are constants, so a real app has a handful. */
    static final int MAX_SCOPE_TEMPLATES = 1_000;

    /** At most this many users' last plans are remembered for their next request ({@link #plan}): 10,000. */
    static final int MAX_REMEMBERED_PLANS = 10_000;

    /** A rule that has made more distinct grants than this is making per-user grants: it is warned about, once. */
    static final int MANY_GRANTS_PER_RULE = 100;

    private final RoleDecider decider;
    private final Duration defaultDuration;
    private final Region stsRegion;
    private final SamlSettings saml;
    private final SessionDurations durations;

    // A template per (rule, grant): looked up on every request, so a record key, never a string built from them.
    // Bounded: a rule in code that builds a grant per user would otherwise grow it for ever.
    private final Cache<ScopeKey, SessionScopeTemplate> scopes = Caffeine.newBuilder().maximumSize(MAX_SCOPE_TEMPLATES)
            .executor(Runnable::run).build();
    // Per rule id (rules are few): how many templates it has caused to be made.
    private final Map<String, AtomicInteger> grantsMadeByRule = new ConcurrentHashMap<>();

    private record ScopeKey(String ruleId, RoleGrant role) {
    }

    // The last plan made for a verified identity, by the identity object itself (weak keys compare by ==): the token
    // cache and the sign-in session hand the same object to every request of a user, so the next request with an equal
    // decision gets the plan without rendering the scope, naming the session and hashing the key again.
    private final Cache<VerifiedIdentity, SessionPlan> lastPlans = Caffeine.newBuilder().weakKeys()
            .maximumSize(MAX_REMEMBERED_PLANS).executor(Runnable::run).build();

    /**
     * Creates the planner; {@link io.github.awsdelegation.DelegationService} makes the one of an application.
     *
     * @param decider         the decider, to which refusals are reported and whose rules say which grants are declared
     * @param defaultDuration the duration of a role without its own {@code sessionDuration}
     * @param stsRegion       the configured STS region ({@code sts.region})
     * @param saml            the SAML identity provider settings, or {@code null} when the module is not one
     * @param durations       what STS has accepted for each role, shared with the credential source that learns it
     */
    public SessionPlanner(RoleDecider decider, Duration defaultDuration, Region stsRegion, SamlSettings saml,
            SessionDurations durations) {
        this.decider = Objects.requireNonNull(decider, "decider");
        this.defaultDuration = Objects.requireNonNull(defaultDuration, "defaultDuration");
        this.stsRegion = Objects.requireNonNull(stsRegion, "stsRegion");
        this.saml = saml;
        this.durations = Objects.requireNonNull(durations, "durations");
    }

    /**
     * Plans the session of a decided role for a user.
     *
     * @throws ScopeRejectedException when the user's values do not fit STS's limits (reported, answered 403)
     * @throws ConfigurationException when a rule in code grants a role whose scoping cannot work
     */
    public SessionPlan plan(VerifiedIdentity identity, RoleDecision decision, EntryPoint entryPoint) {
        try {
            // A plan is a function of the identity, the decision, the entry point and the duration (which STS may have
            // lowered for the role meanwhile): the same four give the same plan, so the last one is reused.
            SessionPlan last = lastPlans.getIfPresent(identity);
            if (last != null && last.entryPoint() == entryPoint && sameDecision(last.decision(), decision)
                    && last.duration().equals(durationFor(decision.role()))) {
                return last;
            }
            SessionPlan plan = assemble(identity, decision, entryPoint);
            lastPlans.put(identity, plan);
            return plan;
        } catch (ScopeRejectedException e) {
            throw decider.refuse(identity, decision.ruleId(), decision.role().roleArn(), null, e, entryPoint);
        }
    }

    // RoleDecision.equals, with the grants compared by reference first: the rules hand every request the same grant
    // objects, which the record's equals would compare field by field (policies included), and the list of them.
    static boolean sameDecision(RoleDecision a, RoleDecision b) {
        return a == b || a.requested() == b.requested() && a.ruleId().equals(b.ruleId()) && a.reason().equals(b.reason())
                && sameGrant(a.role(), b.role()) && sameGrants(a.permitted(), b.permitted());
    }

    private static boolean sameGrants(List<RoleGrant> a, List<RoleGrant> b) {
        if (a == b) {
            return true;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!sameGrant(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameGrant(RoleGrant a, RoleGrant b) {
        return a == b || a.equals(b);
    }

    /**
     * Plans the session as {@link #plan} does, for a dry run (the "explain" view): a refusal is thrown, not reported.
     * The plan's entry point is {@link EntryPoint#APPLICATION}; it is never handed to the broker.
     *
     * @throws ScopeRejectedException when the user's values do not fit STS's limits
     * @throws ConfigurationException when a rule in code grants a role whose scoping cannot work
     */
    public SessionPlan preview(VerifiedIdentity identity, RoleDecision decision) {
        return assemble(identity, decision, EntryPoint.APPLICATION);
    }

    private SessionPlan assemble(VerifiedIdentity identity, RoleDecision decision, EntryPoint entryPoint) {
        RoleGrant role = decision.role();
        SessionScope scope = scopeFor(decision.ruleId(), role, identity);
        return new SessionPlan(identity, decision, scope, durationFor(role), RoleSessionNames.of(identity.subject()),
                regionFor(role), identityValues(role, identity, saml), entryPoint);
    }

    /**
     * Returns the session duration to ask for a role: its {@code sessionDuration}, else the configured default, at
     * most what STS has accepted for the role since it refused a longer one.
     */
    public Duration durationFor(RoleGrant role) {
        return durations.choose(role.roleArn(), role.sessionDuration() != null ? role.sessionDuration() : defaultDuration,
                false);
    }

    /**
     * Returns the region whose STS endpoint issues a role's credentials, and where the user's clients call AWS
     * ({@link Partition#regionFor}: the role's own, else {@code sts.region} in the role's partition, else the
     * partition's default).
     */
    public Region regionFor(RoleGrant role) {
        return Partition.regionFor(role, stsRegion);
    }

    /**
     * Returns the user's values STS takes into a session besides its scope: for a SAML role, the user's values of each
     * configured {@code principalTags}, {@code attributes} and {@code sourceIdentity} mapping (they go into the
     * assertion, so a user moved from team A to team B gets a new session); for a web-identity role, the ID token's
     * {@value #TAGS_CLAIM} and {@value #SOURCE_IDENTITY_CLAIM} claims; nothing for AssumeRole, whose every input is in
     * the scope.
     *
     * @param saml the SAML identity provider settings, or {@code null}
     */
    public static Map<String, Object> identityValues(RoleGrant role, VerifiedIdentity identity, SamlSettings saml) {
        Map<String, Object> values = new LinkedHashMap<>();
        switch (role.federation()) {
            case SAML -> {
                if (saml != null) {
                    values.put("saml.principalTags", values(saml.principalTags(), identity));
                    values.put("saml.attributes", values(saml.attributes(), identity));
                    values.put("saml.transitiveTagKeys", saml.transitiveTagKeys().stream().sorted().toList());
                    values.put("saml.sourceIdentity", saml.sourceIdentity() == null ? null
                            : SamlAttributeMapping.valuesOf(saml.sourceIdentity(), identity));
                }
            }
            case WEB_IDENTITY -> {
                values.put("token." + TAGS_CLAIM, identity.claims().get(TAGS_CLAIM));
                values.put("token." + SOURCE_IDENTITY_CLAIM, identity.claims().get(SOURCE_IDENTITY_CLAIM));
            }
            case ASSUME_ROLE -> {
                // Everything AssumeRole is sent is in the scope.
            }
        }
        return values;
    }

    private static Map<String, Object> values(Iterable<SamlAttributeMapping> mappings, VerifiedIdentity identity) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (SamlAttributeMapping m : mappings) {
            values.put(m.name(), m.values(identity));
        }
        return values;
    }

    /**
     * Renders a role's scoping (session policy, managed policies, session tags, source identity) for a user, from the
     * role's template, which is read once per rule and role. Not reported: {@link #plan} reports a refusal.
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
        boolean declared = decider.rules().rules().stream().filter(r -> r.id().equals(ruleId))
                .anyMatch(r -> r.grants().contains(role));
        try {
            if (!declared) {
                UserDataInGrants.check(role, identity);
            }
        } catch (ScopeConfigurationException e) {
            throw misconfigured(ruleId, role, "rule '" + ruleId + "' " + e.reason(), e);
        }
        int made = grantsMadeByRule.computeIfAbsent(ruleId, id -> new AtomicInteger()).incrementAndGet();
        if (made == MANY_GRANTS_PER_RULE + 1) {
            LOG.warn("Rule '{}' has granted more than {} distinct roles/scopings: it seems to build a grant per user. "
                    + "Grants are constants: build each RoleGrant once and write per-user values as ${...} variables of "
                    + "its session policy, tags and source identity (escaped and checked per user). At most {} are kept; "
                    + "the least recently used are dropped and parsed again when needed", LogSafe.of(ruleId),
                    MANY_GRANTS_PER_RULE, MAX_SCOPE_TEMPLATES);
        }
        try {
            return SessionScopeTemplate.parse(ruleId, role);
        } catch (ScopeConfigurationException e) {
            // Only rules in code get here: the configuration loader checks the document's roles at startup.
            throw misconfigured(ruleId, role, e.reason(), e);
        }
    }

    private static ConfigurationException misconfigured(String ruleId, RoleGrant role, String message,
            ScopeConfigurationException e) {
        return new ConfigurationException("rules[" + ruleId + "].roles[" + role.roleName() + "]." + e.key(), message, e);
    }

    @Override
    public String toString() {
        return "SessionPlanner[region=" + stsRegion + "]";
    }
}

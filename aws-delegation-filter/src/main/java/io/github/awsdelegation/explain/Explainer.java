package io.github.awsdelegation.explain;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.plan.SessionPlan;
import io.github.awsdelegation.role.RoleExplanation;
import io.github.awsdelegation.scope.ScopeRejectedException;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Explains why a user gets (or does not get) a role: a dry run of the service's own stages — the role decider's rules
 * ({@link io.github.awsdelegation.role.RoleRules#explain}) and the session planner
 * ({@link io.github.awsdelegation.plan.SessionPlanner#preview}) — that calls nothing outside: no STS, and no JWKS
 * fetch unless a real ID token is to be validated. Nothing is cached, logged to the refusals logger or reported to
 * the listeners. Thread-safe; {@link DelegationService#explainer()} returns the service's.
 */
public final class Explainer {

    private final DelegationService service;
    private final Clock clock;

    /** Creates the explainer of a service; its explanations are dated by the clock. */
    public Explainer(DelegationService service, Clock clock) {
        this.service = Objects.requireNonNull(service, "service");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Explains the decision for a user described by claims, taken as they are (nothing is checked: no signature, no
     * expiry). The connection, groups and verified email are read from them as from a validated token.
     *
     * @param claims        the ID token's claims, as parsed JSON values; {@code sub} is required
     * @param requestedRole the role asked for (name or ARN), or {@code null} for the default
     * @throws IllegalArgumentException when the claims have no {@code sub}
     */
    public Explanation explainClaims(Map<String, Object> claims, String requestedRole) {
        return explain(service.validator().identityOf(claims), false, requestedRole);
    }

    /**
     * Explains the decision for the user of a real ID token, validated first (which may fetch the issuer's keys).
     *
     * @throws io.github.awsdelegation.token.TokenRejectedException when the token fails validation
     * @throws io.github.awsdelegation.token.IssuerUnavailableException when the issuer's keys cannot be had
     */
    public Explanation explainIdToken(String idToken, String requestedRole) {
        return explain(service.validator().validate(idToken), true, requestedRole);
    }

    /** Explains the decision for a verified user (e.g. the signed-in user of a request). */
    public Explanation explain(VerifiedIdentity identity, String requestedRole) {
        return explain(identity, true, requestedRole);
    }

    private Explanation explain(VerifiedIdentity identity, boolean fromIdToken, String requestedRole) {
        String requested = requestedRole == null || requestedRole.isBlank() ? null : requestedRole.trim();
        RoleExplanation roles = service.decider().rules().explain(identity, requested);
        List<String> warnings = new ArrayList<>();
        PlannedSession session = null;
        String refusal = roles.refusal();
        if (roles.decision() != null) {
            try {
                SessionPlan plan = service.planner().preview(identity, roles.decision());
                session = PlannedSession.of(plan);
                if (session.size().nearOrOverLimit()) {
                    warnings.add("the session is near or over STS's size limits (" + describe(session.size())
                            + "); STS may answer PackedPolicyTooLarge: shorten the session policy or use fewer tags");
                }
            } catch (ScopeRejectedException e) {
                refusal = e.getMessage();
            } catch (ConfigurationException e) {
                refusal = "misconfigured: " + e.getMessage();
            }
        }
        if (roles.rules().stream().anyMatch(r -> r.conditions().isEmpty() && r.note() != null && r.note().startsWith("a rule in code"))) {
            warnings.add("rules in code explain no conditions unless they override RoleRule.explain");
        }
        return new Explanation(clock.instant(), identity.issuer(), identity.subject(),
                identity.connectionType().configName(), identity.connectionName(), identity.groups(), identity.email(),
                fromIdToken, requested, roles.rules(), refusal == null ? roles.decision() : null, refusal, session, warnings);
    }

    private static String describe(PackedSize size) {
        return "policy " + size.policyLength() + " chars, " + size.managedPolicies() + " managed policies, " + size.tags()
                + " tags, packed ~" + size.estimatedPackedPercent() + "%";
    }

    @Override
    public String toString() {
        return "Explainer[" + service + "]";
    }
}

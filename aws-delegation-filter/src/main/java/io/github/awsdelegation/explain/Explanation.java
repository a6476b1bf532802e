package io.github.awsdelegation.explain;

import io.github.awsdelegation.explain.internal.ExplanationFormat;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RuleExplanation;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to "why does this user get (or not get) this role?": who the rules saw, every rule in order with why it
 * matched or not, the decision or refusal, and the session that would be asked of STS. It holds claims the rules read
 * and the rendered session policy, never a token or a credential. {@link #toJson()} and {@link #toText()} render it.
 *
 * @param at             when it was made, on the service's clock
 * @param issuer         the issuer the identity is of
 * @param subject        the user's {@code sub}
 * @param connectionType the connection type the rules saw, e.g. {@code social}
 * @param connectionName the connection's name, or the empty string
 * @param groups         the groups the rules saw
 * @param email          the verified email address the rules saw, or {@code null}
 * @param fromIdToken    whether the identity comes from a validated ID token (else from claims given as they are)
 * @param requestedRole  the role asked for, or {@code null} for the default
 * @param rules          every rule's explanation, in evaluation order
 * @param decision       the decision, or {@code null} when the user is refused
 * @param refusal        why the user is refused (what the user would read, answered 403), or {@code null}
 * @param session        the session that would be asked for, or {@code null} when refused
 * @param warnings       what an operator should know, e.g. a session near STS's packed size limit
 */
public record Explanation(Instant at, String issuer, String subject, String connectionType, String connectionName,
        List<String> groups, String email, boolean fromIdToken, String requestedRole, List<RuleExplanation> rules,
        RoleDecision decision, String refusal, PlannedSession session, List<String> warnings) {

    public Explanation {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(subject, "subject");
        groups = List.copyOf(groups);
        rules = List.copyOf(rules);
        warnings = List.copyOf(warnings);
    }

    /** Returns whether the user gets a role (and a session could be asked for). */
    public boolean granted() {
        return session != null;
    }

    /** Returns the decision, when a rule granted a role. */
    public Optional<RoleDecision> decided() {
        return Optional.ofNullable(decision);
    }

    /** Returns the explanation as a JSON object (the admin path's answer, the CLI's {@code --json}); docs/operations.md. */
    public String toJson() {
        return ExplanationFormat.json(this);
    }

    /** Returns the explanation as text for a terminal: one line per rule and condition. */
    public String toText() {
        return ExplanationFormat.text(this);
    }
}

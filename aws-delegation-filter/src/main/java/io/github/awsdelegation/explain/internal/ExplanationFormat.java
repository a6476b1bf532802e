package io.github.awsdelegation.explain.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.explain.Explanation;
import io.github.awsdelegation.explain.PackedSize;
import io.github.awsdelegation.explain.PlannedSession;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleScope;
import io.github.awsdelegation.role.RuleExplanation;
import io.github.awsdelegation.scope.internal.SessionPolicyTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders an {@link Explanation}: JSON with a fixed key order (docs/operations.md), and text for a terminal. */
public final class ExplanationFormat {

    private ExplanationFormat() {
    }

    /** Returns the JSON rendering. */
    public static String json(Explanation e) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("issuer", e.issuer());
        user.put("subject", e.subject());
        user.put("connectionType", e.connectionType());
        user.put("connectionName", e.connectionName());
        user.put("groups", e.groups());
        user.put("email", e.email());
        user.put("fromIdToken", e.fromIdToken());
        List<Object> rules = new ArrayList<>();
        for (RuleExplanation r : e.rules()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("id", r.ruleId());
            rule.put("matched", r.matched());
            rule.put("decides", r.ruleId().equals(decidingRule(e)));
            List<Object> conditions = new ArrayList<>();
            for (RuleExplanation.Condition c : r.conditions()) {
                Map<String, Object> condition = new LinkedHashMap<>();
                condition.put("held", c.held());
                condition.put("description", c.description());
                conditions.add(condition);
            }
            rule.put("conditions", conditions);
            if (r.note() != null) {
                rule.put("note", r.note());
            }
            rules.add(rule);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("at", e.at().toString());
        json.put("user", user);
        json.put("requestedRole", e.requestedRole());
        json.put("rules", rules);
        json.put("granted", e.granted());
        if (e.decision() != null) {
            RoleDecision d = e.decision();
            Map<String, Object> decision = new LinkedHashMap<>();
            decision.put("ruleId", d.ruleId());
            decision.put("reason", d.reason());
            decision.put("roleArn", d.role().roleArn());
            decision.put("requested", d.requested());
            decision.put("permitted", d.permitted().stream().map(RoleGrant::roleArn).toList());
            json.put("decision", decision);
        }
        if (e.refusal() != null) {
            json.put("refusal", e.refusal());
        }
        if (e.session() != null) {
            PlannedSession s = e.session();
            Map<String, Object> session = new LinkedHashMap<>();
            session.put("roleArn", s.roleArn());
            session.put("federation", s.federation());
            session.put("principalArn", s.principalArn());
            session.put("region", s.region());
            session.put("durationSeconds", s.duration().toSeconds());
            session.put("roleSessionName", s.roleSessionName());
            session.put("sessionPolicy", s.sessionPolicy());
            session.put("managedPolicies", s.managedPolicies());
            session.put("tags", s.tags());
            session.put("transitiveTagKeys", s.transitiveTagKeys());
            session.put("sourceIdentity", s.sourceIdentity());
            session.put("identityValues", s.identityValues());
            PackedSize p = s.size();
            Map<String, Object> size = new LinkedHashMap<>();
            size.put("policyLength", p.policyLength());
            size.put("policyLengthLimit", SessionPolicyTemplate.MAX_POLICY_LENGTH);
            size.put("managedPolicies", p.managedPolicies());
            size.put("managedPoliciesLimit", RoleScope.MAX_POLICY_ARNS);
            size.put("tags", p.tags());
            size.put("tagsLimit", RoleScope.MAX_TAGS);
            size.put("estimatedPackedPercent", p.estimatedPackedPercent());
            session.put("size", size);
            json.put("session", session);
        }
        json.put("warnings", e.warnings());
        return JSONObjectUtils.toJSONString(json);
    }

    // The first rule that matches decides: it grants, or refuses a role it does not permit. Null when none matches.
    private static String decidingRule(Explanation e) {
        return e.rules().stream().filter(RuleExplanation::matched).map(RuleExplanation::ruleId).findFirst().orElse(null);
    }

    /** Returns the text rendering. */
    public static String text(Explanation e) {
        StringBuilder t = new StringBuilder();
        t.append("User ").append(e.subject()).append(" (").append(e.fromIdToken() ? "validated ID token" : "claims as given")
                .append(")\n");
        t.append("  connection: ").append(e.connectionType()).append(e.connectionName().isEmpty() ? "" : " / " + e.connectionName())
                .append('\n');
        t.append("  groups: ").append(e.groups()).append('\n');
        if (e.email() != null) {
            t.append("  verified email: ").append(e.email()).append('\n');
        }
        t.append("  requested role: ").append(e.requestedRole() == null ? "(none: the deciding rule's default)" : e.requestedRole())
                .append("\n\nRules, in order:\n");
        int n = 1;
        for (RuleExplanation r : e.rules()) {
            boolean decided = r.ruleId().equals(decidingRule(e));
            t.append(String.format("  %d. %s: %s%n", n++, r.ruleId(),
                    decided ? "MATCHED, decides" : r.matched() ? "matched" : "did not match"));
            for (RuleExplanation.Condition c : r.conditions()) {
                t.append("       ").append(c.held() ? "[yes] " : "[no]  ").append(c.description()).append('\n');
            }
            if (r.note() != null) {
                t.append("       ").append(r.note()).append('\n');
            }
        }
        t.append('\n');
        if (e.decision() != null) {
            RoleDecision d = e.decision();
            t.append("Decision: ").append(d.role().roleArn()).append(d.requested() ? " (requested)" : " (the rule's default)")
                    .append("\n  by rule ").append(d.ruleId()).append(": ").append(d.reason())
                    .append("\n  permitted: ").append(d.permitted().stream().map(RoleGrant::roleName).toList()).append('\n');
        }
        if (e.refusal() != null) {
            t.append("Refused: ").append(e.refusal()).append('\n');
        }
        PlannedSession s = e.session();
        if (s != null) {
            t.append("\nSession that would be asked for:\n");
            t.append("  STS operation: ").append(s.federation()).append(", region ").append(s.region()).append('\n');
            if (s.principalArn() != null) {
                t.append("  principal: ").append(s.principalArn()).append('\n');
            }
            t.append("  duration: ").append(s.duration().toSeconds()).append(" s\n");
            t.append("  role session name: ").append(s.roleSessionName()).append('\n');
            t.append("  session policy: ").append(s.sessionPolicy() == null ? "(none)" : s.sessionPolicy()).append('\n');
            t.append("  managed policies: ").append(s.managedPolicies()).append('\n');
            t.append("  tags: ").append(s.tags()).append(s.transitiveTagKeys().isEmpty() ? "" : " transitive " + s.transitiveTagKeys())
                    .append('\n');
            t.append("  source identity: ").append(s.sourceIdentity() == null ? "(none)" : s.sourceIdentity()).append('\n');
            PackedSize p = s.size();
            t.append(String.format("  size: policy %d/%d chars, %d/%d managed policies, %d/%d tags, packed size ~%d%% (estimate)%n",
                    p.policyLength(), SessionPolicyTemplate.MAX_POLICY_LENGTH, p.managedPolicies(), RoleScope.MAX_POLICY_ARNS,
                    p.tags(), RoleScope.MAX_TAGS, p.estimatedPackedPercent()));
        }
        for (String w : e.warnings()) {
            t.append("Warning: ").append(w).append('\n');
        }
        return t.toString();
    }
}

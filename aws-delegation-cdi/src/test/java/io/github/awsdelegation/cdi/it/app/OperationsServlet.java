package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.explain.Explainer;
import io.github.awsdelegation.explain.Explanation;
import io.github.awsdelegation.health.DelegationHealth;
import io.github.awsdelegation.health.HealthReport;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** Shows what the injected service-wide beans say: the readiness report and an explanation, outside any user's request. */
@WebServlet("/public/operations")
public class OperationsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient DelegationHealth health;

    @Inject
    transient Explainer explainer;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HealthReport report = health.report();
        Explanation explanation = explainer.explainClaims(Map.of("sub", "amazon|explained"), null);
        new Lines().put("ready", report.ready())
                .put("checks", String.join(",", report.checks().stream().map(HealthReport.Check::name).toList()))
                .put("explainedRule", explanation.decision().ruleId())
                .put("explainedRole", explanation.decision().role().roleName())
                .write(response);
    }
}

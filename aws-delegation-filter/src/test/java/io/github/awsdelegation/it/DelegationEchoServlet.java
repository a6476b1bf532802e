package io.github.awsdelegation.it;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.servlet.AwsDelegationFilter;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Shows, as tab-separated fields, what the filter attached to the request: the app's view of the outcome. */
@WebServlet("/whoami")
public class DelegationEchoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    // The forged and the legitimate state-changing requests of CrossSiteRequestsIT reach the app the same way.
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doGet(request, response);
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doGet(request, response);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doGet(request, response);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Delegation d = AwsDelegationFilter.delegation(request).orElse(null);
        response.setContentType("text/plain;charset=UTF-8");
        if (d == null) {
            response.getWriter().write("no delegation");
            return;
        }
        response.getWriter().write(String.join("\t",
                "subject=" + d.identity().subject(),
                "connection=" + d.identity().connectionType().configName(),
                "role=" + d.decision().role().roleName(),
                "rule=" + d.decision().ruleId(),
                "requested=" + d.decision().requested(),
                "accessKeyId=" + d.credentials().credentials().accessKeyId(),
                "assumedRoleArn=" + d.credentials().assumedRoleArn(),
                "expiration=" + d.credentials().expiration(),
                "sessionEndsAt=" + d.sessionEndsAt(),
                "expiresAt=" + d.expiresAt()));
    }
}

package com.example.quickstart;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.servlet.AwsDelegationFilter;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Shows what the filter decided for the signed-in user: who they are, the IAM role the rules gave them and the
 * rule that gave it, and until when the credentials hold. The credentials themselves stay on the server.
 */
@WebServlet("/whoami")
public class WhoAmIServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // The filter maps /* and lets through only the public paths without a user: here, there is one.
        Delegation d = AwsDelegationFilter.delegation(request).orElseThrow();
        response.setContentType("text/plain;charset=UTF-8");
        PrintWriter out = response.getWriter();
        out.println("subject: " + d.identity().subject());
        out.println("connection: " + d.identity().connectionType().configName());
        out.println("role: " + d.decision().role().roleArn());
        out.println("rule: " + d.decision().ruleId());
        out.println("assumed role: " + d.credentials().assumedRoleArn());
        out.println("expires: " + d.credentials().expiration());
    }
}

package io.github.awsdelegation.sample;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.servlet.AwsDelegationFilter;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Shows the signed-in user who they are to AWS: the role the rules granted, the rule and why, and when
 * the credentials expire. It reads the request attribute the filter set; the credentials themselves never
 * reach the browser. {@code /me.json} answers the same as JSON for API clients.
 */
@WebServlet(urlPatterns = {"/me", "/me.json"})
public class MeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Delegation d = AwsDelegationFilter.delegation(request).orElseThrow(
                () -> new IllegalStateException("the aws-delegation filter is not mapped to " + request.getRequestURI()));
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        PrintWriter out = response.getWriter();
        if (request.getServletPath().endsWith(".json")) {
            response.setContentType("application/json");
            out.printf("{\"subject\":\"%s\",\"connectionType\":\"%s\",\"connection\":\"%s\",\"role\":\"%s\",\"rule\":\"%s\","
                    + "\"reason\":\"%s\",\"assumedRoleArn\":\"%s\",\"expiration\":\"%s\"}",
                    json(d.identity().subject()), d.identity().connectionType().configName(), json(d.identity().connectionName()),
                    d.decision().role().roleArn(), json(d.decision().ruleId()), json(d.decision().reason()),
                    json(d.credentials().assumedRoleArn()), d.credentials().expiration());
            return;
        }
        response.setContentType("text/html");
        out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>My AWS role</title>"
                + "<link rel=\"stylesheet\" href=\"style.css\"></head><body><main><h1>Signed in</h1><dl>");
        row(out, "User", d.identity().subject());
        row(out, "Email", d.identity().email() == null ? "-" : d.identity().email());
        row(out, "Connection", d.identity().connectionType().configName() + " (" + d.identity().connectionName() + ")");
        row(out, "Role", d.decision().role().roleName());
        row(out, "Granted by rule", d.decision().ruleId() + ": " + d.decision().reason());
        row(out, "AWS identity", d.credentials().assumedRoleArn());
        row(out, "Credentials expire", d.credentials().expiration().toString());
        out.println("</dl><p><a class=\"button\" href=\"logout\">Sign out</a></p></main></body></html>");
    }

    private static void row(PrintWriter out, String name, String value) {
        out.println("<dt>" + html(name) + "</dt><dd>" + html(value) + "</dd>");
    }

    private static String html(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String json(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

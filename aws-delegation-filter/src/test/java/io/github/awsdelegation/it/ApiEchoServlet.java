package io.github.awsdelegation.it;

import io.github.awsdelegation.servlet.AwsDelegationFilter;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** A protected API under {@code /api/*}: says that it was reached, and whether the filter attached a delegation. */
@WebServlet("/api/*")
public class ApiEchoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write("api reached: " + request.getPathInfo() + " delegation="
                + AwsDelegationFilter.delegation(request).map(d -> d.decision().role().roleName()).orElse("none"));
    }
}

package io.github.awsdelegation.cdi.it.app;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;

/** Shows what the request-scoped {@link UserReport} bean was injected with. */
@WebServlet({"/inject/bean", "/public/inject/bean"})
public class BeanInjectionServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient UserReport report;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Lines lines;
        try {
            lines = report.describe(URI.create(getServletContext().getInitParameter("it.api.url")));
        } catch (RuntimeException e) {
            lines = new Lines().put("error", "!" + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        lines.write(response);
    }
}

package io.github.awsdelegation.cdi.it.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The total of the counters of one name ({@code ?name=}) in the app's registry, and whether the meter exists. */
@WebServlet("/public/metrics")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient MeterRegistry registry;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("name");
        double total = registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
        new Lines().put("meters", registry.find(name).meters().size()).put("total", (long) total).write(response);
    }
}

package io.github.awsdelegation.sample;

import io.github.awsdelegation.cdi.CurrentDelegation;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /admin/metrics} for a signed-in user (or a bearer token) with the shop's admin role: the module's metrics
 * in Prometheus format. Anyone else signed in gets 403; the filter answers 401 to a request without a token. A scraper
 * on the same host needs no token ({@link LoopbackMetrics}).
 */
@WebServlet("/admin/metrics")
public class AdminMetrics extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient CurrentDelegation aws;

    @Inject
    transient ShopSettings settings;

    @Inject
    transient PrometheusMetrics metrics;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!aws.hasRole(settings.adminRole())) {
            Json.write(response, 403, Map.of("status", 403, "error", "access_denied",
                    "message", "the metrics are for the shop's admin role (or a scraper on this host)"));
            return;
        }
        metrics.scrape(response);
    }
}

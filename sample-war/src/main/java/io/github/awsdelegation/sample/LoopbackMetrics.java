package io.github.awsdelegation.sample;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * Serves {@code /admin/metrics} to a Prometheus scraper on the same host without a token: a request from a loopback
 * address that no proxy forwarded (no {@code Forwarded}, {@code X-Forwarded-For} or {@code X-Real-IP} header). Mapped
 * before the AWS delegation filter in web.xml; every other request goes on to it, and to {@link AdminMetrics}.
 * {@code PET_SHOP_METRICS_LOOPBACK=false} turns it off (e.g. behind a proxy on the same host that sets none of
 * those headers).
 */
public class LoopbackMetrics extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final List<String> PROXY_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");

    @Inject
    transient PrometheusMetrics metrics;

    @Inject
    transient ShopSettings settings;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (settings.metricsOnLoopback() && "GET".equals(request.getMethod()) && fromThisHost(request)) {
            metrics.scrape(response);
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean fromThisHost(HttpServletRequest request) {
        for (String header : PROXY_HEADERS) {
            if (request.getHeader(header) != null) {
                return false;
            }
        }
        try {
            // A literal address from the container: no name lookup happens.
            return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}

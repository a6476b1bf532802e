package io.github.awsdelegation.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hot path over HTTP as ratios to the same servlet without the filter, for a bearer token and for a browser
 * session: each round runs without, with a bearer token and with the session cookie one after the other, so that the
 * shared machine's drift hits all three; each ratio is the median of its rounds' ratios.
 */
record HotRatios(List<Double> bearerRatios, List<Double> sessionRatios, HttpLoad.WrkResult without,
        HttpLoad.WrkResult withBearer, HttpLoad.WrkResult withSession, List<double[]> cpuMicros) {

    // The server's CPU time per request (this JVM's, wrk is another process): steadier than throughput on a machine
    // others share, and the difference to the baseline is what the filter costs.
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static HttpLoad.WrkResult timed(double[] cpu, int slot, WrkRun run) throws Exception {
        long before = OS.getProcessCpuTime();
        HttpLoad.WrkResult result = run.run();
        cpu[slot] = (OS.getProcessCpuTime() - before) / 1000.0 / Math.max(1, result.requests());
        return result;
    }

    private interface WrkRun {
        HttpLoad.WrkResult run() throws Exception;
    }

    static HotRatios measure(HttpLoad http, List<String> bearer, List<String> session, int rounds, int seconds)
            throws Exception {
        List<Double> b = new ArrayList<>();
        List<Double> s = new ArrayList<>();
        HttpLoad.WrkResult without = null;
        HttpLoad.WrkResult withBearer = null;
        HttpLoad.WrkResult withSession = null;
        List<double[]> cpu = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double[] c = new double[3];
            cpu.add(c);
            // The baseline gets the bearer header too: the same bytes on the wire, only the filter differs.
            without = timed(c, 0, () -> http.wrkWith("/without/hello", bearer, 64, seconds));
            withBearer = check(timed(c, 1, () -> http.wrkWith("/with/hello", bearer, 64, seconds)));
            withSession = check(timed(c, 2, () -> http.wrkWith("/with/hello", session, 64, seconds)));
            b.add(withBearer.requestsPerSecond() / without.requestsPerSecond());
            s.add(withSession.requestsPerSecond() / without.requestsPerSecond());
            System.out.printf(Locale.ROOT, "round %d: without %.0f, bearer %.0f (%.3f), session %.0f (%.3f) req/s; "
                    + "server CPU per request %.1f / %.1f / %.1f µs%n", round, without.requestsPerSecond(),
                    withBearer.requestsPerSecond(), b.get(round), withSession.requestsPerSecond(), s.get(round), c[0], c[1], c[2]);
        }
        return new HotRatios(b, s, without, withBearer, withSession, cpu);
    }

    // A run that answered errors measures the error page, not the hot path.
    private static HttpLoad.WrkResult check(HttpLoad.WrkResult result) {
        if (result.non2xx() > 0 || result.socketErrors() > 0) {
            throw new IllegalStateException("the hot path answered errors: " + result.raw());
        }
        return result;
    }

    double bearerRatio() {
        return median(bearerRatios);
    }

    double sessionRatio() {
        return median(sessionRatios);
    }

    String bearer() {
        return describe(bearerRatio(), bearerRatios, withBearer);
    }

    String session() {
        return describe(sessionRatio(), sessionRatios, withSession);
    }

    private String describe(double median, List<Double> ratios, HttpLoad.WrkResult with) {
        return String.format(Locale.ROOT, "%.3f (rounds %s; %.0f vs %.0f req/s in the last round)", median,
                ratios.stream().map(r -> String.format(Locale.ROOT, "%.3f", r)).toList(), with.requestsPerSecond(),
                without.requestsPerSecond());
    }

    /** The server's CPU time per request, median of the rounds: without, with a bearer token, with the session. */
    String cpu() {
        double[] m = new double[3];
        for (int i = 0; i < 3; i++) {
            int slot = i;
            m[i] = median(cpuMicros.stream().map(c -> c[slot]).toList());
        }
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f µs (filter: +%.1f bearer, +%.1f session)", m[0], m[1], m[2],
                m[1] - m[0], m[2] - m[0]);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}

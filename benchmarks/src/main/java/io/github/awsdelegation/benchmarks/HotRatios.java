package io.github.awsdelegation.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hot path over HTTP as ratios to the same servlet without the filter, for a bearer token and for a browser
 * session: each round runs without, with a bearer token and with the session cookie one after the other, so that the
 * shared machine's drift hits all three; each ratio is the median of its rounds' ratios. The order turns from round to
 * round (without first, then bearer first, then session first): a fixed order gave whichever ran just after the
 * baseline the same neighbour every time, the JIT's and the collector's state after the run before included.
 */
record HotRatios(List<Double> bearerRatios, List<Double> sessionRatios, HttpLoad.WrkResult without,
        HttpLoad.WrkResult withBearer, HttpLoad.WrkResult withSession, List<double[]> cpuMicros, List<double[]> allocated) {

    /**
     * Unmeasured rounds of all three before the measured ones: the first measured round used to come out far above 1
     * (1.29 / 1.54), the baseline still slow after warming each context alone, as the JIT recompiled the container's
     * code once the filter's requests had run through it.
     */
    static final int WARM_UP_ROUNDS = 2;

    // The server's CPU time per request (this JVM's, wrk is another process): steadier than throughput on a machine
    // others share, and the difference to the baseline is what the filter costs.
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private static HttpLoad.WrkResult timed(double[] cpu, double[] bytes, int slot, WrkRun run) throws Exception {
        long allocatedBefore = allocatedBytes();
        long before = OS.getProcessCpuTime();
        HttpLoad.WrkResult result = run.run();
        cpu[slot] = (OS.getProcessCpuTime() - before) / 1000.0 / Math.max(1, result.requests());
        bytes[slot] = (double) (allocatedBytes() - allocatedBefore) / Math.max(1, result.requests());
        return result;
    }

    // The bytes every live thread of this JVM allocated so far (the container's threads outlive a wrk run).
    private static long allocatedBytes() {
        long sum = 0;
        for (long n : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            sum += Math.max(0, n);
        }
        return sum;
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
        List<double[]> bytes = new ArrayList<>();
        for (int round = -WARM_UP_ROUNDS; round < rounds; round++) {
            double[] c = new double[3];
            double[] a = new double[3];
            int length = round < 0 ? Math.min(seconds, 5) : seconds;
            HttpLoad.WrkResult[] results = new HttpLoad.WrkResult[3];
            for (int i = 0; i < 3; i++) {
                int slot = Math.floorMod(round + i, 3);
                // The baseline gets the bearer header too: the same bytes on the wire, only the filter differs.
                String path = slot == 0 ? "/without/hello" : "/with/hello";
                List<String> headers = slot == 2 ? session : bearer;
                results[slot] = timed(c, a, slot, () -> http.wrkWith(path, headers, 64, length));
            }
            without = results[0];
            withBearer = check(results[1]);
            withSession = check(results[2]);
            double rb = withBearer.requestsPerSecond() / without.requestsPerSecond();
            double rs = withSession.requestsPerSecond() / without.requestsPerSecond();
            System.out.printf(Locale.ROOT, "%s %d: without %.0f, bearer %.0f (%.3f), session %.0f (%.3f) req/s; "
                    + "server CPU per request %.1f / %.1f / %.1f µs; allocated %.0f / %.0f / %.0f bytes%n",
                    round < 0 ? "warm-up" : "round", round, without.requestsPerSecond(), withBearer.requestsPerSecond(), rb,
                    withSession.requestsPerSecond(), rs, c[0], c[1], c[2], a[0], a[1], a[2]);
            if (round >= 0) {
                b.add(rb);
                s.add(rs);
                cpu.add(c);
                bytes.add(a);
            }
        }
        return new HotRatios(b, s, without, withBearer, withSession, cpu, bytes);
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
        List<Double> sorted = new ArrayList<>(ratios);
        sorted.sort(null);
        int n = sorted.size();
        return String.format(Locale.ROOT, "%.3f (middle half of the %d rounds %.3f–%.3f, all %.3f–%.3f; %.0f vs %.0f req/s "
                + "in the last round)", median, n, sorted.get(n / 4), sorted.get((3 * n - 1) / 4), sorted.get(0),
                sorted.get(n - 1), with.requestsPerSecond(), without.requestsPerSecond());
    }

    /** The server's CPU time per request, median of the rounds: without, with a bearer token, with the session. */
    String cpu() {
        double[] m = medians(cpuMicros);
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f µs (filter: +%.1f bearer, +%.1f session)", m[0], m[1], m[2],
                m[1] - m[0], m[2] - m[0]);
    }

    /** The bytes the server allocated per request, median of the rounds: without, bearer token, session. */
    String allocation() {
        double[] m = medians(allocated);
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f bytes (filter: +%.0f bearer, +%.0f session)", m[0], m[1], m[2],
                m[1] - m[0], m[2] - m[0]);
    }

    // Per series (without, bearer token, session), the median of its value in each round.
    private static double[] medians(List<double[]> rounds) {
        double[] m = new double[3];
        for (int i = 0; i < 3; i++) {
            int slot = i;
            m[i] = median(rounds.stream().map(r -> r[slot]).toList());
        }
        return m;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}

package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.testkit.Demo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The module's hot path against the peer's ({@link PeerFilter}) in-process, with the same tokens of the same users,
 * every user's credentials already cached on both sides: what each protection costs a request by itself, without the
 * container. "Ours" is what the filter runs for a bearer token ({@link DelegationService#delegate}: the validated-token
 * cache, the role decision, the credential cache); "peer" is the peer filter's per-request work (signature and claims
 * verification, the map of providers, {@code resolveCredentials()}). Consecutive calls take the users round-robin.
 *
 * <p>One thread calls one side for a time slice, then the other, round after round (which goes first alternates), so
 * that the load of a shared machine weighs on both alike; the ratio is the median of the rounds' ratios. A throughput
 * harness rather than JMH for that reason: JMH measures one benchmark after the other.
 */
final class PeerHotPath {

    /**
     * One side's throughput over all measured rounds, per second of wall time and per second of the calling thread's
     * CPU time, and the latency percentiles of its calls.
     */
    record Side(double opsPerSecond, double opsPerCpuSecond, double p50Micros, double p99Micros) {
    }

    /**
     * Both sides; {@code ratio} is the median over the rounds of ours / peer throughput, {@code cpuRatio} the same per
     * second of the thread's CPU time (which leaves out the time the thread waited for a core on a loaded machine, and
     * the work of other threads, such as the garbage collector's).
     */
    record Result(int users, Side ours, Side peer, double ratio, double cpuRatio, long stsCalls) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private interface Call {
        Object run(String token) throws Exception;
    }

    private PeerHotPath() {
    }

    /** The peer for the environment: the same issuer, audience, STS and role as the module's configuration. */
    static PeerFilter peerOf(BenchEnvironment env) {
        return new PeerFilter(env.aws.identityProvider().issuer(), env.aws.identityProvider().jwksUri(), Demo.CLIENT_ID,
                env.aws.sts().endpoint(), Demo.BUYER_ROLE_ARN);
    }

    /**
     * Measures both sides for {@code users} users (cached first on both sides), after {@code warmups} unmeasured rounds.
     * {@code stsCalls} in the result counts the STS calls during the measured rounds (0 on a hot path).
     */
    static Result run(BenchEnvironment env, DelegationService service, PeerFilter peer, int users, int warmups,
            int rounds, Duration slice) throws Exception {
        String[] tokens = new String[users];
        for (int u = 0; u < users; u++) {
            tokens[u] = env.token("peer-hot-" + users + "-" + u);
            service.delegate(tokens[u], null, null);
            peer.credentials(tokens[u]);
        }
        Call ours = token -> service.delegate(token, null, null);
        Call theirs = peer::credentials;
        for (int r = 0; r < warmups; r++) {
            slice(ours, tokens, slice, null);
            slice(theirs, tokens, slice, null);
        }
        int before = env.aws.sts().calls().size();
        Series oursSeries = new Series();
        Series peerSeries = new Series();
        List<Double> ratios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] a;
            double[] b;
            if (r % 2 == 0) {
                a = slice(ours, tokens, slice, oursSeries);
                b = slice(theirs, tokens, slice, peerSeries);
            } else {
                b = slice(theirs, tokens, slice, peerSeries);
                a = slice(ours, tokens, slice, oursSeries);
            }
            ratios.add(a[0] / b[0]);
            cpuRatios.add(a[1] / b[1]);
        }
        ratios.sort(null);
        cpuRatios.sort(null);
        long calls = env.aws.sts().calls().size() - before;
        return new Result(users, oursSeries.side(), peerSeries.side(), ratios.get(ratios.size() / 2),
                cpuRatios.get(cpuRatios.size() / 2), calls);
    }

    // Calls one side for the slice; returns its operations per second of wall and of CPU time, records each call's time.
    private static double[] slice(Call call, String[] tokens, Duration slice, Series series) throws Exception {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long end = System.nanoTime() + slice.toNanos();
        long ops = 0;
        int i = 0;
        int sink = 0;
        long start = System.nanoTime();
        long now = start;
        while (now < end) {
            Object result = call.run(tokens[i]);
            sink += result.hashCode();
            long after = System.nanoTime();
            if (series != null) {
                series.add(after - now);
            }
            now = after;
            ops++;
            i = i + 1 == tokens.length ? 0 : i + 1;
        }
        if (sink == 42) {
            System.out.print(""); // keeps the results alive
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
        if (series != null) {
            series.ops += ops;
            series.nanos += now - start;
            series.cpuNanos += cpu;
        }
        return new double[] {ops / ((now - start) / 1e9), ops / (cpu / 1e9)};
    }

    /**
     * Call times of one side in a histogram: 20 ns buckets up to 200 µs, then 1 µs buckets up to 100 ms (longer calls
     * count as 100 ms).
     */
    private static final class Series {
        private static final int FINE = 10_000;
        private static final long FINE_NANOS = 20;
        private final long[] counts = new long[FINE + 100_000];
        private long size;
        long ops;
        long nanos;
        long cpuNanos;

        void add(long took) {
            int bucket = took < FINE * FINE_NANOS ? (int) (took / FINE_NANOS)
                    : (int) Math.min(counts.length - 1, FINE + (took - FINE * FINE_NANOS) / 1000);
            counts[bucket]++;
            size++;
        }

        private double percentileMicros(double p) {
            long rank = (long) Math.ceil(size * p);
            long seen = 0;
            for (int b = 0; b < counts.length; b++) {
                seen += counts[b];
                if (seen >= rank) {
                    return (b < FINE ? b * FINE_NANOS : FINE * FINE_NANOS + (b - FINE) * 1000L) / 1e3;
                }
            }
            return Double.NaN;
        }

        Side side() {
            return new Side(ops / (nanos / 1e9), ops / (cpuNanos / 1e9), percentileMicros(0.50), percentileMicros(0.99));
        }
    }
}

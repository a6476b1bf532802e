package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.DelegationService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "Peers:" rows of BENCHMARKS.md: the module against {@link PeerFilter}, the same servlet protected the way apps
 * do it today, side by side in one run with the same tokens and users. {@code bash benchmarks/run.sh peers} measures
 * these rows alone and puts them in place of the previous ones.
 */
final class PeerRows {

    /** How every peer row begins in the table. */
    static final String PREFIX = "| Peers: ";

    /** The target: at least this many times the peer's throughput on the hot path in-process. */
    static final double TARGET_RATIO = 10;

    private PeerRows() {
    }

    static List<String> rows(boolean quick) throws Exception {
        List<String> rows = new ArrayList<>();
        try (BenchEnvironment env = new BenchEnvironment(Clock.systemUTC());
                DelegationService service = env.service(Clock.systemUTC());
                PeerFilter peer = PeerHotPath.peerOf(env)) {
            for (int users : new int[] {1, 1000}) {
                PeerHotPath.Result r = PeerHotPath.run(env, service, peer, users, quick ? 2 : 4, quick ? 5 : 15,
                        Duration.ofSeconds(1));
                rows.add(RunAll.row(PREFIX.substring(2) + "hot path in-process, " + (users == 1 ? "one cached user"
                        : users + " cached users round-robin") + ": ours vs peer (median ratio of interleaved 1 s slices)",
                        String.format(Locale.ROOT, "%.1f× (%.0f vs %.0f ops/s; p50 %.1f vs %.1f µs, p99 %.1f vs %.1f µs; "
                                + "%d STS calls)", r.ratio(), r.ours().opsPerSecond(), r.peer().opsPerSecond(),
                                r.ours().p50Micros(), r.peer().p50Micros(), r.ours().p99Micros(), r.peer().p99Micros(),
                                r.stsCalls()),
                        "≥ " + (int) TARGET_RATIO + "× the peer", RunAll.verdict(r.ratio() >= TARGET_RATIO)));
            }
        }
        return rows;
    }
}

package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.DelegationService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    private static final String NAME = PREFIX.substring(2);

    private PeerRows() {
    }

    /** Measures the rows; {@code quick} for a short smoke run. */
    static List<String> rows(boolean quick) throws Exception {
        List<String> rows = new ArrayList<>();
        try (BenchEnvironment env = new BenchEnvironment(Clock.systemUTC());
                DelegationService service = env.service(Clock.systemUTC());
                PeerFilter peer = PeerHotPath.peerOf(env)) {
            // 1. In-process: each protection's own cost; the ≥ 10× target is judged here.
            for (int users : new int[] {1, 1000}) {
                PeerHotPath.Result r = PeerHotPath.run(env, service, peer, users, quick ? 2 : 4, quick ? 5 : 15,
                        Duration.ofSeconds(1));
                rows.add(RunAll.row(NAME + "hot path in-process, " + who(users) + ": ours vs peer throughput (median ratio of "
                        + "interleaved 1 s slices, one thread)", String.format(Locale.ROOT, "%.1f× (%.0f vs %.0f ops/s; "
                        + "per second of the thread's CPU time %.1f×; p50 %.1f vs %.1f µs, p99 %.1f vs %.1f µs; %d STS calls)",
                        r.ratio(), r.ours().opsPerSecond(), r.peer().opsPerSecond(), r.cpuRatio(), r.ours().p50Micros(),
                        r.peer().p50Micros(), r.ours().p99Micros(), r.peer().p99Micros(), r.stsCalls()),
                        "≥ " + (int) TARGET_RATIO + "× the peer", RunAll.verdict(r.ratio() >= TARGET_RATIO)));
            }
            // 2. Over HTTP: Tomcat's own cost per request caps every ratio (see NOTES.md), so shown, not judged.
            try (HttpLoad http = new HttpLoad(service)) {
                http.addContext(PeerHttp.PEER_CONTEXT, peer);
                PeerHttp.checkProtected(http, env.aws.identityProvider().newIdToken().subject("amazon|forger")
                        .signWithForeignKey());
                for (int users : new int[] {1, 1000}) {
                    List<String> tokens = new ArrayList<>();
                    for (int u = 0; u < users; u++) {
                        String token = env.token("peer-http-" + users + "-" + u);
                        service.delegate(token, null, null); // every user cached on both sides first
                        peer.credentials(token);
                        tokens.add(token);
                    }
                    PeerHttp.measure(http, tokens, 64, 1, quick ? 2 : 3); // warm-up
                    int rounds = quick ? 3 : 5;
                    PeerHttp.Result r = PeerHttp.measure(http, tokens, 64, rounds, quick ? 3 : 10);
                    rows.add(RunAll.row(NAME + "hot path over HTTP, " + who(users) + ": without / ours / peer (median of "
                            + rounds + " interleaved rounds, wrk -c64)", String.format(Locale.ROOT,
                            "ours %.2f× the peer (ours %.2f, peer %.2f of without); %s req/s; p50 %s ms; p99 %s ms; %d errors",
                            r.oursOverPeer(), r.oursOverWithout(), r.peerOverWithout(), three(r.requestsPerSecond(), "%.0f"),
                            three(r.p50Millis(), "%.2f"), three(r.p99Millis(), "%.2f"), r.errors()),
                            "— (Tomcat's own cost caps the ratio)", "—"));
                }
            }
        }
        rows.addAll(stsRows(quick));
        return rows;
    }

    /** The STS rows alone: each request sent to both sides, at once and across expiry. */
    static List<String> stsRows(boolean quick) throws Exception {
        List<String> rows = new ArrayList<>();
        int users = quick ? 50 : 200;
        PeerStsHarness.Calls burst = PeerStsHarness.burst(users, 10, 32);
        rows.add(RunAll.row(NAME + "STS calls, " + users + " users × 10 requests, each user's at once over 32 threads",
                String.format(Locale.ROOT, "ours %d vs peer %d (STS counted %d for both)", burst.ours(), burst.peer(),
                        burst.stsTotal()), "ours ≤ peer", RunAll.verdict(burst.ours() <= burst.peer())));
        PeerStsHarness.Calls expiry = PeerStsHarness.acrossExpiry(quick ? 200 : 1000, 32, Duration.ofHours(3),
                Duration.ofMinutes(1));
        rows.add(RunAll.row(NAME + "STS calls across expiry, " + expiry.users() + " users arriving over the first hour, "
                + "a request each per minute, 3 h virtual time, 1 h credentials", String.format(Locale.ROOT,
                "ours %d (%d on request threads = one per user, %d ahead on refresh threads) vs peer %d (%d on request "
                        + "threads, which waited for them); %d requests", expiry.ours(), expiry.oursOnRequestThreads(),
                expiry.ours() - expiry.oursOnRequestThreads(), expiry.peer(), expiry.peerOnRequestThreads(), expiry.requests()),
                "ours ≤ peer", verdictOrBy(expiry.ours(), expiry.peer())));
        return rows;
    }

    private static String who(int users) {
        return users == 1 ? "one cached user" : users + " cached users round-robin";
    }

    private static String three(Map<String, Double> values, String format) {
        List<String> parts = new ArrayList<>();
        for (String path : PeerHttp.PATHS) {
            parts.add(String.format(Locale.ROOT, format, values.get(path)));
        }
        return String.join(" / ", parts);
    }

    // "met", or by how much it was missed.
    private static String verdictOrBy(long ours, long peer) {
        return ours <= peer ? "met" : String.format(Locale.ROOT, "**missed** by %d (%.1f %%)", ours - peer,
                100.0 * (ours - peer) / peer);
    }
}

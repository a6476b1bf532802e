package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.DelegationService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs every benchmark side by side in one run and writes BENCHMARKS.md: the machine, the versions, the
 * command, each measurement against its target, and whether the target was met. {@code benchmarks/run.sh}
 * builds the module and calls it.
 *
 * <p>Arguments: the output file, then optionally {@code quick} for a short smoke run, or {@code cluster} to measure
 * the cluster rows only and put them in place of the file's previous cluster rows (the other rows stay), or
 * {@code peers} to do the same with the rows against the peer ({@link PeerRows}; {@code peers quick} for a short run), or
 * {@code memory} to do the same with the heap per cached user (its class histogram printed), or {@code sts}
 * ({@code sts quick}) to print the STS rows alone without writing the file.
 */
public final class RunAll {

    private RunAll() {
    }

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args.length > 0 ? args[0] : "BENCHMARKS.md");
        boolean quick = args.length > 1 && args[1].equals("quick");
        if (args.length > 1 && args[1].equals("cluster")) {
            replaceRows(output, CLUSTER_ROW, clusterRows(false));
            return;
        }
        if (args.length > 1 && args[1].equals("memory")) {
            replaceRows(output, MEMORY_ROW, List.of(memoryRow()));
            return;
        }
        if (args.length > 1 && args[1].equals("peers")) {
            replaceRows(output, PeerRows.PREFIX, PeerRows.rows(args.length > 2 && args[2].equals("quick")));
            return;
        }
        if (args.length > 1 && args[1].equals("sts")) {
            // The STS rows alone, printed and not written: for comparing builds or runs (the refresh band's jitter).
            boolean brief = args.length > 2 && args[2].equals("quick");
            System.out.println(stsConcurrencyRow(brief));
            PeerRows.stsRows(brief).forEach(System.out::println);
            return;
        }
        int loadSeconds = quick ? 5 : 60;
        int hotSeconds = quick ? 3 : 5;
        List<String> rows = new ArrayList<>();

        // 1 and 2. JMH: hot and cold path in-process.
        Collection<RunResult> jmh = new Runner(new OptionsBuilder().include(DelegationBenchmark.class.getName())
                .warmupIterations(quick ? 1 : 2).measurementIterations(quick ? 1 : 3).build()).run();
        Statistics hot = statistics(jmh, "hotPath");
        Statistics cold = statistics(jmh, "coldPath");
        rows.add(row("Hot path in-process (JMH, cached user): p50 / p99", us(hot.getPercentile(50)) + " / " + us(hot.getPercentile(99)),
                "—", "—"));
        rows.add(row("Cold path (JMH, new user incl. local STS round trip): p50", ms(cold.getPercentile(50)), "≤ 10 ms",
                verdict(cold.getPercentile(50) <= 10_000)));
        rows.add(row("Cold path: p99", ms(cold.getPercentile(99)), "≤ 30 ms", verdict(cold.getPercentile(99) <= 30_000)));

        // 3. HTTP: the same servlet with and without the filter, then 500 users.
        try (BenchEnvironment env = new BenchEnvironment(Clock.systemUTC());
                DelegationService service = env.service(Clock.systemUTC());
                HttpLoad http = new HttpLoad(service)) {
            String token = env.token("http-hot");
            service.delegate(token, null, null);
            List<String> bearer = List.of("Authorization: Bearer " + token);
            List<String> session = http.signIn("connection=amazon");
            // Interleaved in short rounds, so that drift of the shared machine hits every series alike, after unmeasured
            // rounds of all three (HotRatios.WARM_UP_ROUNDS); the median of the rounds. Many short rounds rather than a
            // few long ones: a 5-second round's ratio scatters by ±10 % on this machine, and the median of 15 by less.
            int rounds = quick ? 3 : 15;
            HotRatios ratios = HotRatios.measure(http, bearer, session, rounds, hotSeconds);
            rows.add(row("Hot path over HTTP, bearer token: throughput with filter / without (median of " + rounds
                    + " interleaved " + hotSeconds + "-second rounds, wrk -c64)", ratios.bearer(), "≥ 0.97", verdict(ratios.bearerRatio() >= 0.97)));
            rows.add(row("Hot path over HTTP, browser session (built-in login's cookie): with filter / without (median of "
                    + rounds + " interleaved " + hotSeconds + "-second rounds, wrk -c64)", ratios.session(), "≥ 0.97",
                    verdict(ratios.sessionRatio() >= 0.97)));
            rows.add(row("Hot path over HTTP: server CPU per request, without filter / bearer token / browser session "
                    + "(median of the same rounds; this JVM's CPU time, wrk is another process)", ratios.cpu(), "—", "—"));
            rows.add(row("Hot path over HTTP: server heap allocated per request, without filter / bearer token / browser "
                    + "session (median of the same rounds; every thread of this JVM)", ratios.allocation(), "—", "—"));
            HttpLoad.SessionSize signedIn = http.sessionSize(quick ? 100 : 1000);
            rows.add(row("Sign-in session per user (built-in login, " + signedIn.users() + " users signed in)",
                    String.format(Locale.ROOT, "%d bytes serialized; %.0f bytes of heap per signed-in user (freed "
                            + "when the attributes are removed: the tokens and whatever only the session holds)", signedIn.serializedBytes(),
                            signedIn.heapBytesPerUser()), "reported", "—"));

            List<String> users = new ArrayList<>();
            for (int u = 0; u < 500; u++) {
                users.add(env.token("load-" + u));
            }
            HttpLoad.WrkResult load = http.wrkUsers("/with/hello", users, 500, loadSeconds);
            long errors = load.non2xx() + load.socketErrors();
            rows.add(row("Load: 500 users, 500 connections, " + loadSeconds + " s", String.format(Locale.ROOT,
                    "%d requests, %d errors, %.0f req/s, p50 %.1f ms, p99 %.1f ms", load.requests(), errors,
                    load.requestsPerSecond(), load.p50Millis(), load.p99Millis()), "0 errors", verdict(errors == 0)));
        }

        // 4. STS calls under concurrency with rolling expiry.
        rows.add(stsConcurrencyRow(quick));

        // 5. Memory.
        rows.add(memoryRow());

        // 6. Cluster: STS calls per node count, local store against the clustered ones; the hot path on each.
        rows.addAll(clusterRows(quick));

        // 7. Peers: the same servlet protected the way apps do it today.
        rows.addAll(PeerRows.rows(quick));

        // 8. Footprint (the closures Maven resolved for run.sh) and start-up in fresh JVMs.
        rows.addAll(footprintRows(Path.of(".")));
        int starts = quick ? 3 : 11;
        Startup.Result oidc = Startup.run(starts, false);
        Startup.Result saml = Startup.run(starts, true);
        rows.add(row("Start-up: filter init to ready (YAML, discovery + JWKS from the local IdP), fresh JVM each, median of "
                + starts + ": OIDC only / with SAML (OpenSAML bootstrap, signing key)", String.format(Locale.ROOT,
                "%.0f ms / %.0f ms (CPU of the init thread %.0f / %.0f ms; process start to ready %.0f / %.0f ms)",
                oidc.initMillis(), saml.initMillis(), oidc.initCpuMillis(), saml.initCpuMillis(), oidc.processMillis(),
                saml.processMillis()), "— (reported)", "—"));

        write(output, rows, quick);
    }

    static String stsConcurrencyRow(boolean quick) throws Exception {
        StsConcurrencyHarness.Result sts = StsConcurrencyHarness.run(quick ? 200 : 1000, 64,
                Duration.ofHours(3), Duration.ofMinutes(1));
        return row("STS calls: " + sts.users() + " users × 64 threads, 3 h virtual time, rolling expiry",
                String.format(Locale.ROOT, "%d calls (%d on request threads, %d background refreshes); each user's calls "
                        + "within the bounds of the refresh band for %d of %d users (bounds summed: %d to %d); %d requests; "
                        + "slowest request after a user's first %.1f ms", sts.foregroundCalls() + sts.backgroundCalls(),
                        sts.foregroundCalls(), sts.backgroundCalls(), sts.users() - sts.usersOutside(), sts.users(),
                        sts.lowerCalls(), sts.upperCalls(), sts.requests(), sts.maxWaitAfterFirstMillis()),
                "one call on request threads per user (no wait after first); each user's calls within the band's bounds",
                verdict(sts.foregroundCalls() == sts.users() && sts.usersOutside() == 0));
    }

    static List<String> footprintRows(Path root) {
        Footprint.Closure filter = Footprint.app(root, "filter");
        Footprint.Closure cdi = Footprint.app(root, "cdi");
        Footprint.Closure saml = Footprint.app(root, "saml");
        Footprint.War war = Footprint.War.of(root.resolve("sample-war/target/sample-war.war"));
        long limit = 12L * 1024 * 1024;
        return List.of(
                row("Footprint: filter (its jar and runtime closure: what an app's WAR carries; " + filter.jars().size()
                        + " jars, largest " + filter.largest(5) + ")", Footprint.mb(filter.bytes()) + " MB", "—", "—"),
                row("Footprint: filter + CDI (" + cdi.jars().size() + " jars, largest " + cdi.largest(5) + ")",
                        Footprint.mb(cdi.bytes()) + " MB", "≤ 12 MB", verdict(cdi.bytes() <= limit)),
                row("Footprint: filter + SAML (aws-delegation-saml: OpenSAML and what it calls; " + saml.jars().size()
                        + " jars, largest " + saml.largest(5) + ")", Footprint.mb(saml.bytes()) + " MB", "—", "—"),
                row("Footprint: sample WAR (filter + CDI, SAML, S3 client, Prometheus registry, Redis store)", Footprint.mb(war.bytes())
                        + " MB (WEB-INF/lib " + Footprint.mb(war.libraryBytes()) + " MB in " + war.libraries() + " jars)", "—", "—"));
    }

    private static final String MEMORY_ROW = "| Heap per cached user";

    // The credential cache filled with 100,000 users shaped as production stores them; the class histogram goes to stdout.
    static String memoryRow() throws InterruptedException {
        MemoryHarness.Result memory = MemoryHarness.run(100_000);
        System.out.println(memory.histogram());
        return row(MEMORY_ROW.substring(2) + " (100,000 users)", String.format(Locale.ROOT,
                "%.0f bytes (of which ~%.0f the STS session token itself); %d MB in all", memory.bytesPerUser(),
                memory.sessionTokenBytesPerUser(), memory.bytes() / (1024 * 1024)), "≤ 1.5 KB (issue 17; ≤ 2 KB before)",
                verdict(memory.bytesPerUser() <= 1536));
    }

    private static final String CLUSTER_ROW = "| Cluster: ";
    // Issue 17: a hit on a clustered store's node costs what it costs on the local store.
    private static final double CLUSTER_HOT_RATIO = 1.10;

    static List<String> clusterRows(boolean quick) throws Exception {
        int users = quick ? 100 : 200;
        List<String> rows = new ArrayList<>();
        List<String> stores = new ArrayList<>(List.of("local"));
        stores.addAll(ClusterHarness.clusteredStores());
        for (String store : stores) {
            List<String> counts = new ArrayList<>();
            boolean flat = true;
            for (int nodes = 1; nodes <= 3; nodes++) {
                ClusterHarness.Calls calls = ClusterHarness.stsCalls(store, nodes, users, 6);
                counts.add(Long.toString(calls.calls()));
                flat &= calls.calls() == users;
            }
            boolean shared = !store.equals("local");
            rows.add(row(CLUSTER_ROW.substring(2) + "STS calls, " + users + " users × 6 requests round-robin over 1 / 2 / 3 nodes, "
                    + store + " store", String.join(" / ", counts) + " calls",
                    shared ? "= users, whatever the node count" : "— (users × nodes: the problem the clustered stores solve)",
                    shared ? verdict(flat) : "—"));
        }
        // Every store's node alive at once, measured in turn (an odd number of rounds: the median ratio is one round's).
        int rounds = quick ? 11 : 31;
        int iterations = quick ? 5_000 : 20_000;
        List<ClusterHarness.HotPath> paths = ClusterHarness.hotPaths(stores, rounds, iterations);
        ClusterHarness.HotPath local = paths.get(0);
        for (ClusterHarness.HotPath clustered : paths.subList(1, paths.size())) {
            rows.add(row(CLUSTER_ROW.substring(2) + "hot path in-process, one cached user, " + clustered.store()
                    + " store (its near-cache) vs local, nodes alive side by side, measured in turn: p50 / p99",
                    String.format(Locale.ROOT, "%.1f / %.1f µs vs %.1f / %.1f µs: ratio %.2f at p50 (median of %d rounds of"
                            + " %,d requests each)", clustered.p50Nanos() / 1000, clustered.p99Nanos() / 1000,
                            local.p50Nanos() / 1000, local.p99Nanos() / 1000, clustered.p50Ratio(), rounds, iterations),
                    String.format(Locale.ROOT, "p50 ratio ≤ %.2f (the local store's, within noise; p99 reported)",
                            CLUSTER_HOT_RATIO),
                    verdict(clustered.p50Ratio() <= CLUSTER_HOT_RATIO)));
        }
        return rows;
    }

    // Replaces the file's rows that begin with the prefix (or appends them to its table) and leaves the rest as it was.
    private static void replaceRows(Path output, String prefix, List<String> rows) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(output, StandardCharsets.UTF_8));
        lines.removeIf(line -> line.startsWith(prefix));
        int lastRow = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("| ")) {
                lastRow = i;
            }
            if (lastRow >= 0 && !lines.get(i).startsWith("| ")) {
                break;
            }
        }
        lines.addAll(lastRow + 1, rows);
        Files.write(output, lines, StandardCharsets.UTF_8);
        rows.forEach(System.out::println);
    }

    private static Statistics statistics(Collection<RunResult> results, String benchmark) {
        return results.stream().filter(r -> r.getParams().getBenchmark().endsWith("." + benchmark)).findFirst()
                .orElseThrow().getPrimaryResult().getStatistics();
    }

    private static String us(double micros) {
        return String.format(Locale.ROOT, "%.1f µs", micros);
    }

    private static String ms(double micros) {
        return String.format(Locale.ROOT, "%.2f ms", micros / 1000);
    }

    static String verdict(boolean met) {
        return met ? "met" : "**missed**";
    }

    static String row(String what, String measured, String target, String verdict) {
        return "| " + what + " | " + measured + " | " + target + " | " + verdict + " |";
    }

    private static void write(Path output, List<String> rows, boolean quick) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Measured ").append(LocalDate.now()).append(quick ? " (quick run: shorter durations)" : "")
                .append(" by `bash benchmarks/run.sh`, every measurement side by side in one run.\n\n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MB max heap, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append("; Java ").append(System.getProperty("java.version")).append(" (")
                .append(System.getProperty("java.vm.name")).append("); ").append(wrkVersion())
                .append("; JMH 1.37; embedded Tomcat ").append(org.apache.catalina.util.ServerInfo.getServerNumber())
                .append(". The load generator (wrk) shares the machine with the server.\n\n");
        md.append("| measurement | result | target | |\n| --- | --- | --- | --- |\n");
        rows.forEach(r -> md.append(r).append('\n'));
        md.append('\n');
        Path notes = Path.of("benchmarks/NOTES.md");
        if (Files.exists(notes)) {
            md.append(Files.readString(notes, StandardCharsets.UTF_8));
        }
        Files.writeString(output, md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
    }

    private static String wrkVersion() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().findFirst().orElse("wrk").trim();
        } catch (IOException | InterruptedException e) {
            return "wrk";
        }
    }
}

package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.DelegationService;
import java.time.Clock;
import java.util.List;

/**
 * Runs only the hot path over HTTP (wrk against the servlet behind the filter) for a while, so that a profiler
 * can watch it: {@code java -XX:StartFlightRecording=... HotPathProfile [seconds] [bearer|session|ratios [rounds]]};
 * {@code HotPathProfile <users> memory} and {@code HotPathProfile <users> sessions} run the heap measurements alone.
 * {@code ratios} runs {@link HotRatios} instead: without / bearer / session interleaved, a quick side-by-side reading.
 */
public final class HotPathProfile {

    private HotPathProfile() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String mode = args.length > 1 ? args[1] : "bearer";
        if (mode.equals("memory")) {
            System.out.println(MemoryHarness.run(seconds)); // here the first argument is the number of users
            return;
        }
        try (BenchEnvironment env = new BenchEnvironment(Clock.systemUTC());
                DelegationService service = env.service(Clock.systemUTC());
                HttpLoad http = new HttpLoad(service)) {
            String token = env.token("profile-hot");
            service.delegate(token, null, null);
            List<String> bearer = List.of("Authorization: Bearer " + token);
            List<String> session = http.signIn("connection=amazon");
            if (mode.equals("sessions")) {
                System.out.println(http.sessionSize(seconds));
                return;
            }
            if (mode.equals("ratios")) {
                int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
                HotRatios ratios = HotRatios.measure(http, bearer, session, rounds, seconds);
                System.out.println("bearer " + ratios.bearer());
                System.out.println("session " + ratios.session());
                System.out.println("cpu " + ratios.cpu());
                System.out.println("allocated " + ratios.allocation());
                return;
            }
            List<String> headers = mode.equals("session") ? session : bearer;
            http.wrkWith("/with/hello", headers, 64, 5);
            HttpLoad.WrkResult with = http.wrkWith("/with/hello", headers, 64, seconds);
            HttpLoad.WrkResult without = http.wrkWith("/without/hello", headers, 64, seconds);
            System.out.printf("%s: with filter %.0f req/s, without %.0f req/s%n", mode, with.requestsPerSecond(),
                    without.requestsPerSecond());
        }
    }
}

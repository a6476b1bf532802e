package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.DelegationService;
import java.time.Clock;

/**
 * Runs only the hot path over HTTP (wrk against the servlet behind the filter) for a while, so that a profiler
 * can watch it: {@code java -XX:StartFlightRecording=... HotPathProfile [seconds]}.
 */
public final class HotPathProfile {

    private HotPathProfile() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (BenchEnvironment env = new BenchEnvironment(Clock.systemUTC());
                DelegationService service = env.service(Clock.systemUTC());
                HttpLoad http = new HttpLoad(service)) {
            String token = env.token("profile-hot");
            service.delegate(token, null, null);
            http.wrk("/with/hello", token, 64, 5);
            HttpLoad.WrkResult with = http.wrk("/with/hello", token, 64, seconds);
            HttpLoad.WrkResult without = http.wrk("/without/hello", token, 64, seconds);
            System.out.printf("with filter %.0f req/s, without %.0f req/s%n", with.requestsPerSecond(), without.requestsPerSecond());
        }
    }
}

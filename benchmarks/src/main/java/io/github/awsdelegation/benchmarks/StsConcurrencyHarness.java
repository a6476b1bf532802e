package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.sts.CredentialSource;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.sts.WebIdentityCredentialSource;
import io.github.awsdelegation.token.IdTokenValidator;
import io.github.awsdelegation.testkit.FakeClock;
import com.nimbusds.jose.JWSAlgorithm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 64 threads × 1,000 users over three hours of virtual time (a fake clock shared by the local IdP, the local
 * STS and the module), users arriving over the first hour so that their credentials expire at different
 * times. Counts STS calls made on request threads (a request waiting on STS) and on the background refresh
 * threads, against the ideal of one call per user per credential lifetime.
 */
final class StsConcurrencyHarness {

    record Result(int users, int threads, long requests, long foregroundCalls, long backgroundCalls, long idealCalls,
            double maxWaitAfterFirstMillis) {
    }

    static Result run(int users, int threads, Duration simulated, Duration step) throws Exception {
        FakeClock clock = FakeClock.at(Instant.parse("2026-11-22T00:00:00Z"));
        try (BenchEnvironment env = new BenchEnvironment(clock)) {
            AtomicLong foreground = new AtomicLong();
            AtomicLong background = new AtomicLong();
            CredentialSource sts = new CredentialSource() {
                final WebIdentityCredentialSource real = new WebIdentityCredentialSource(env.config.sts());

                @Override
                public IssuedCredentials issue(CredentialRequest request) {
                    (Thread.currentThread().getName().startsWith("aws-delegation-refresh") ? background : foreground).incrementAndGet();
                    return real.issue(request);
                }

                @Override
                public void close() {
                    real.close();
                }
            };
            IdTokenValidator validator = IdTokenValidator.builder().issuer(env.config.oidc().issuer()).clientId(env.config.oidc().clientId())
                    .algorithms(Set.of(JWSAlgorithm.RS256)).clock(clock).build();
            DelegationService service = DelegationService.create(env.config, validator, sts, clock);
            // Tokens live 10 hours: one per user for the whole run.
            String[] tokens = new String[users];
            for (int u = 0; u < users; u++) {
                tokens[u] = env.token("concurrency-" + u);
            }
            long steps = simulated.dividedBy(step);
            long arrivalSteps = Duration.ofHours(1).dividedBy(step);
            boolean[] seen = new boolean[users];
            long[] firstStep = new long[users];
            AtomicLong requests = new AtomicLong();
            AtomicLong maxWaitNanos = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (long s = 0; s < steps; s++) {
                    long step0 = s;
                    List<Integer> active = new ArrayList<>();
                    for (int u = 0; u < users; u++) {
                        if (u % arrivalSteps <= step0) {
                            active.add(u);
                        }
                    }
                    List<Future<?>> work = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        int thread = t;
                        work.add(pool.submit(() -> {
                            for (int i = thread; i < active.size(); i += threads) {
                                int u = active.get(i);
                                boolean first = !seen[u];
                                long start = System.nanoTime();
                                service.delegate(tokens[u], null, null);
                                long took = System.nanoTime() - start;
                                requests.incrementAndGet();
                                if (first) {
                                    seen[u] = true;
                                    firstStep[u] = step0;
                                } else {
                                    maxWaitNanos.accumulateAndGet(took, Math::max);
                                }
                            }
                        }));
                    }
                    for (Future<?> f : work) {
                        f.get(5, TimeUnit.MINUTES);
                    }
                    waitForRefreshes(service);
                    clock.advance(step);
                }
            } finally {
                pool.shutdownNow();
            }
            // Ideal: one call per user per credential lifetime they were active in (refreshed 5 minutes ahead).
            Duration lifetime = env.config.sts().sessionDuration().minus(env.config.cache().refreshAhead());
            long ideal = 0;
            for (int u = 0; u < users; u++) {
                Duration active = step.multipliedBy(steps - firstStep[u]);
                ideal += (active.toNanos() + lifetime.toNanos() - 1) / lifetime.toNanos();
            }
            service.close();
            return new Result(users, threads, requests.get(), foreground.get(), background.get(), ideal,
                    maxWaitNanos.get() / 1e6);
        }
    }

    private static void waitForRefreshes(DelegationService service) throws InterruptedException {
        // Background refreshes run on the service's refresh threads; give them time to finish between steps.
        for (int i = 0; i < 200; i++) {
            boolean busy = Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().startsWith("aws-delegation-refresh") && t.getState() == Thread.State.RUNNABLE);
            if (!busy) {
                return;
            }
            Thread.sleep(10);
        }
    }
}

package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.cache.CredentialCache;
import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.sts.CredentialSource;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.sts.WebIdentityCredentialSource;
import io.github.awsdelegation.token.IdTokenValidator;
import io.github.awsdelegation.testkit.FakeClock;
import com.nimbusds.jose.JWSAlgorithm;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 64 threads × 1,000 users over three hours of virtual time (a fake clock shared by the local IdP, the local
 * STS and the module), users arriving over the first hour so that their credentials expire at different
 * times. Counts STS calls made on request threads (a request waiting on STS) and on the background refresh
 * threads, and judges each user's count against the bounds that follow from the documented band of refresh points
 * (docs/configuration.md): credentials lasting D are refreshed at the first request at or after their point, which
 * lies between {@code cache.refreshAhead} (R) and {@code minimumValidity} + {@link CredentialCache#RETRY_MARGIN}
 * (or half the gap, when shorter: L) before expiry. Two calls of a user are thus at least D − R apart and at most
 * D − L rounded up to the next step, so a user active for T makes at least 1 + ⌊(T − step) / (D − L)⌋ and at
 * most ⌈T / (D − R)⌉ calls. A refresh too early, a second refresh of the same credentials, or one too late (a request
 * would then wait) falls outside them or shows on the request threads.
 */
final class StsConcurrencyHarness {

    /**
     * The counts. {@code lowerCalls} and {@code upperCalls} are the sums of the users' bounds, {@code usersOutside} how
     * many users made a number of calls outside their own.
     */
    record Result(int users, int threads, long requests, long foregroundCalls, long backgroundCalls, long lowerCalls,
            long upperCalls, int usersOutside, double maxWaitAfterFirstMillis) {
    }

    static Result run(int users, int threads, Duration simulated, Duration step) throws Exception {
        FakeClock clock = FakeClock.at(Instant.parse("2026-11-22T00:00:00Z"));
        try (BenchEnvironment env = new BenchEnvironment(clock)) {
            AtomicLong foreground = new AtomicLong();
            AtomicLong background = new AtomicLong();
            Map<String, AtomicLong> callsBySubject = new ConcurrentHashMap<>();
            CredentialSource sts = new CredentialSource() {
                final WebIdentityCredentialSource real = new WebIdentityCredentialSource(env.config.sts());

                @Override
                public IssuedCredentials issue(CredentialRequest request) {
                    (Thread.currentThread().getName().startsWith("aws-delegation-refresh") ? background : foreground).incrementAndGet();
                    callsBySubject.computeIfAbsent(request.identity().subject(), s -> new AtomicLong()).incrementAndGet();
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
                    awaitRefreshes(service);
                    clock.advance(step);
                }
            } finally {
                pool.shutdownNow();
            }
            awaitRefreshes(service);
            // The bounds, from the configuration and the documented band, not from the cache's code.
            Duration lifetime = env.config.sts().sessionDuration();
            CacheSettings cache = env.config.cache();
            Duration gap = cache.refreshAhead().minus(cache.minimumValidity());
            Duration margin = gap.dividedBy(2).compareTo(CredentialCache.RETRY_MARGIN) < 0 ? gap.dividedBy(2)
                    : CredentialCache.RETRY_MARGIN;
            long shortest = lifetime.minus(cache.refreshAhead()).toNanos();
            long longest = roundUp(lifetime.minus(cache.minimumValidity().plus(margin)), step).toNanos();
            long lower = 0;
            long upper = 0;
            int outside = 0;
            for (int u = 0; u < users; u++) {
                long active = step.multipliedBy(steps - firstStep[u]).toNanos();
                long least = 1 + (active - step.toNanos()) / longest;
                long most = (active + shortest - 1) / shortest;
                AtomicLong made = callsBySubject.get("amazon|concurrency-" + u);
                long calls = made == null ? 0 : made.get();
                lower += least;
                upper += most;
                if (calls < least || calls > most) {
                    outside++;
                }
            }
            service.close();
            return new Result(users, threads, requests.get(), foreground.get(), background.get(), lower, upper, outside,
                    maxWaitNanos.get() / 1e6);
        }
    }

    private static Duration roundUp(Duration d, Duration step) {
        long steps = (d.toNanos() + step.toNanos() - 1) / step.toNanos();
        return step.multipliedBy(steps);
    }

    /**
     * Waits until every refresh handed to the service's refresh executor has run, queued ones included, so that the
     * fake clock moves on only then (a refresh left queued across a step would be issued a step late, or be overtaken
     * by a request that finds the credentials below the minimum validity). The executor is read by reflection: the
     * service does not expose it.
     */
    static void awaitRefreshes(DelegationService service) throws InterruptedException {
        ThreadPoolExecutor executor;
        try {
            Field field = DelegationService.class.getDeclaredField("refreshExecutor");
            field.setAccessible(true);
            executor = (ThreadPoolExecutor) field.get(service);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DelegationService.refreshExecutor: " + e, e);
        }
        for (int i = 0; i < 3000 && executor.getCompletedTaskCount() < executor.getTaskCount(); i++) {
            Thread.sleep(5);
        }
    }
}

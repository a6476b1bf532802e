package io.github.awsdelegation.benchmarks;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.CredentialSource;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.sts.WebIdentityCredentialSource;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.FakeClock;
import io.github.awsdelegation.token.IdTokenValidator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * STS calls of the module and of the peer ({@link PeerFilter}) for the same users and requests, side by side: every
 * request is sent to both, with the same token. {@link #burst}: each user's requests at once from many threads, on the
 * system clock (no expiry). {@link #acrossExpiry}: users arriving over the first hour, one request per user per step,
 * over hours of virtual time on a fake clock shared by the local IdP, the local STS, the module and the SDK providers'
 * caches, so that both refresh on their own schedules: the module at each credentials' own point between 5 and 2
 * minutes before expiry (later points more likely) on a background thread, the SDK at a random time between 5
 * and 2 minutes before expiry (its prefetch jitter, uniform) on the request thread that finds it due.
 */
final class PeerStsHarness {

    /**
     * The calls of each side, and of those the calls made by a request thread, which waits for it (the rest ran on
     * the module's refresh threads; the SDK's default prefetch has one caller block). {@code stsTotal} is what the
     * local STS counted, both sides together.
     */
    record Calls(int users, long requests, long ours, long oursOnRequestThreads, long peer, long peerOnRequestThreads,
            long stsTotal) {
    }

    /** The request threads' names: this and a number. */
    private static final String REQUEST_THREAD = "peer-sts-request-";
    private static final AtomicInteger THREADS = new AtomicInteger();

    private PeerStsHarness() {
    }

    /** {@code users} users × {@code requestsPerUser} requests over {@code threads} threads, each user's at once. */
    static Calls burst(int users, int requestsPerUser, int threads) throws Exception {
        Clock clock = Clock.systemUTC();
        try (BenchEnvironment env = new BenchEnvironment(clock)) {
            Sides sides = new Sides(env, clock, null);
            String[] tokens = tokens(env, "peer-burst-", users);
            // A user's requests one after the other in the queue: different threads take them at the same time.
            List<Integer> order = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                for (int m = 0; m < requestsPerUser; m++) {
                    order.add(u);
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads,
                    task -> new Thread(task, REQUEST_THREAD + THREADS.incrementAndGet()));
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int u : order) {
                    work.add(pool.submit(() -> sides.request(tokens[u])));
                }
                for (Future<?> f : work) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            return sides.close(users, order.size(), env);
        }
    }

    /**
     * {@code users} users arriving over the first hour, every active user one request per {@code step}, for
     * {@code simulated} virtual time, over {@code threads} threads.
     */
    static Calls acrossExpiry(int users, int threads, Duration simulated, Duration step) throws Exception {
        // The system time to start, so that the peer's Nimbus verification (system clock) accepts the tokens too.
        FakeClock clock = FakeClock.now();
        try (BenchEnvironment env = new BenchEnvironment(clock)) {
            Sides sides = new Sides(env, clock, clock);
            String[] tokens = tokens(env, "peer-expiry-", users);
            long steps = simulated.dividedBy(step);
            long arrivalSteps = Duration.ofHours(1).dividedBy(step);
            long requests = 0;
            ExecutorService pool = Executors.newFixedThreadPool(threads,
                    task -> new Thread(task, REQUEST_THREAD + THREADS.incrementAndGet()));
            try {
                for (long s = 0; s < steps; s++) {
                    List<Future<?>> work = new ArrayList<>();
                    for (int u = 0; u < users; u++) {
                        if (u % arrivalSteps <= s) {
                            int user = u;
                            work.add(pool.submit(() -> sides.request(tokens[user])));
                        }
                    }
                    for (Future<?> f : work) {
                        f.get(5, TimeUnit.MINUTES);
                    }
                    requests += work.size();
                    sides.awaitRefreshes();
                    clock.advance(step);
                }
            } finally {
                pool.shutdownNow();
            }
            return sides.close(users, requests, env);
        }
    }

    private static String[] tokens(BenchEnvironment env, String prefix, int users) {
        String[] tokens = new String[users];
        for (int u = 0; u < users; u++) {
            tokens[u] = env.token(prefix + u);
        }
        return tokens;
    }

    /** The module with a counting credential source, and the peer; a request goes to both. */
    private static final class Sides {
        private final LongAdder onRequestThreads = new LongAdder();
        private final LongAdder onRefreshThreads = new LongAdder();
        private final DelegationService service;
        private final PeerFilter peer;

        Sides(BenchEnvironment env, Clock clock, Clock sdkClock) {
            CredentialSource real = new WebIdentityCredentialSource(env.config.sts());
            CredentialSource counting = new CredentialSource() {
                @Override
                public IssuedCredentials issue(CredentialRequest request) {
                    boolean refresh = Thread.currentThread().getName().startsWith("aws-delegation-refresh");
                    (refresh ? onRefreshThreads : onRequestThreads).increment();
                    return real.issue(request);
                }

                @Override
                public void close() {
                    real.close();
                }
            };
            IdTokenValidator validator = IdTokenValidator.builder().issuer(env.config.oidc().issuer())
                    .clientId(env.config.oidc().clientId()).algorithms(Set.of(JWSAlgorithm.RS256)).clock(clock).build();
            service = DelegationService.create(env.config, validator, counting, clock);
            peer = new PeerFilter(env.aws.identityProvider().issuer(), env.aws.identityProvider().jwksUri(), Demo.CLIENT_ID,
                    env.aws.sts().endpoint(), Demo.BUYER_ROLE_ARN, sdkClock);
        }

        Void request(String token) throws Exception {
            service.delegate(token, null, null);
            peer.credentials(token);
            return null;
        }

        // The module's refreshes run on its own threads: let those handed to them finish before the clock moves on.
        void awaitRefreshes() throws InterruptedException {
            StsConcurrencyHarness.awaitRefreshes(service);
        }

        Calls close(int users, long requests, BenchEnvironment env) throws InterruptedException {
            awaitRefreshes();
            long ours = onRequestThreads.sum() + onRefreshThreads.sum();
            Calls calls = new Calls(users, requests, ours, onRequestThreads.sum(), peer.stsCalls(),
                    peer.stsCallsOn(REQUEST_THREAD), env.aws.sts().callCount("AssumeRoleWithWebIdentity"));
            peer.close();
            service.close();
            return calls;
        }
    }
}

package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.internal.CurrentRequest;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pipeline in-process. {@code hotPath}: a user whose token was validated and whose credentials are
 * cached (what every request after a user's first costs). {@code coldPath}: a new user's first request —
 * token validation with signature, rule, session name, and an STS AssumeRoleWithWebIdentity round trip to
 * the testkit's local STS over loopback HTTP (which itself fetches the issuer's JWKS and verifies the token,
 * as AWS does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class DelegationBenchmark {

    /** Tokens minted ahead for the cold path: more than the benchmark can use up. */
    static final int COLD_USERS = 12_000;

    BenchEnvironment env;
    DelegationService service;
    String hotToken;
    VerifiedIdentity signedIn;
    String[] coldTokens;
    final AtomicInteger nextCold = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() {
        env = new BenchEnvironment(Clock.systemUTC());
        service = env.service(Clock.systemUTC());
        hotToken = env.token("hot");
        service.delegate(hotToken, null, null);
        signedIn = service.validator().validate(hotToken);
        coldTokens = new String[COLD_USERS];
        for (int i = 0; i < COLD_USERS; i++) {
            coldTokens[i] = env.token("cold-" + i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        service.close();
        env.close();
    }

    @Benchmark
    public Delegation hotPath() {
        return service.delegate(hotToken, null, null);
    }

    /**
     * A signed-in user's request as the filter runs it for the built-in login's session: the identity the session holds,
     * a request id, the revocation check, then decide, plan and the cache (no token work).
     */
    @Benchmark
    public Delegation hotPathSignedIn() {
        try (var request = CurrentRequest.open(CurrentRequest.generate())) {
            return service.delegate(signedIn, () -> hotToken, (String) null, EntryPoint.FILTER);
        }
    }

    @Benchmark
    public Delegation coldPath() {
        int i = nextCold.getAndIncrement();
        if (i >= coldTokens.length) {
            throw new IllegalStateException("cold users used up: raise COLD_USERS");
        }
        return service.delegate(coldTokens[i], null, null);
    }
}

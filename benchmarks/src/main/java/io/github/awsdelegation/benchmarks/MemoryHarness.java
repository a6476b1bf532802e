package io.github.awsdelegation.benchmarks;

import io.github.awsdelegation.plan.SessionKey;
import io.github.awsdelegation.cache.CredentialCache;
import io.github.awsdelegation.scope.internal.RoleSessionNames;
import io.github.awsdelegation.sts.IssuedCredentials;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Heap per cached user: fills a {@link CredentialCache} with 100,000 users' credentials shaped as the broker stores
 * them in production and measures the heap before and after, with full collections, and the class histogram of the
 * difference.
 *
 * <p>The shape is the production path's ({@code StsCalls.issued} and {@code SessionPlan.cacheKey}), each value a
 * string of its own as the SDK parses it from an STS answer: a 20-character access key id, a 40-character secret key,
 * a session token of the length AWS issues for web identity (~ 900 characters), an expiration {@link Instant} per
 * answer, the provider name, the assumed-role ARN and id (the id is the role's unique id, {@code AROA} and 17
 * characters, the same for every session of the role as real STS gives it, then {@code :} and the session name), the
 * STS request id (a UUID), no source identity; the role session name from {@link RoleSessionNames} as the planner
 * makes it; the key's issuer and role are the configuration's strings (shared), its subject the user's, its session
 * hash a SHA-256 in hex, as every plan's fingerprint is.
 */
final class MemoryHarness {

    /** The length of a typical STS session token for AssumeRoleWithWebIdentity. */
    static final int SESSION_TOKEN_LENGTH = 900;

    private static final String ISSUER = "https://example.eu.auth0.com/";
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/pet-shop-buyer";
    private static final String ASSUMED_ROLE_PREFIX = "arn:aws:sts::123456789012:assumed-role/pet-shop-buyer/";

    record Result(int users, long bytes, double bytesPerUser, double sessionTokenBytesPerUser, String histogram) {
    }

    private static volatile Object sink;

    /**
     * Prints the heap per cached user and the class histogram of what the cache holds ({@code users} as argument); with
     * {@code calls} as argument, what one {@link IssuedCredentials#credentials()} call costs (it builds the SDK's object
     * from the packed form on each call): nanoseconds and bytes allocated per call, in rounds of 1,000,000 calls.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("calls")) {
            credentialsCalls(args.length > 1 ? Integer.parseInt(args[1]) : 10);
            return;
        }
        Result r = run(args.length > 0 ? Integer.parseInt(args[0]) : 100_000);
        System.out.printf(Locale.ROOT, "%d users: %.1f bytes per user (heap used), %d bytes in all%n%s", r.users(),
                r.bytesPerUser(), r.bytes(), r.histogram());
    }

    static Result run(int users) throws InterruptedException {
        SecureRandom random = new SecureRandom();
        CredentialCache cache = CredentialCache.builder().maximumSize(users).refreshExecutor(Runnable::run).build();
        // The role's unique id: one per role, in every session's assumed-role id.
        String roleId = "AROA" + upperAlphanumeric(random, 17);
        long now = Instant.now().getEpochSecond();
        // Taken first, so that the heap measured before and after both hold it.
        HeapHistogram histogramBefore = HeapHistogram.take();
        long before = usedHeap();
        for (int u = 0; u < users; u++) {
            String subject = String.format(Locale.ROOT, "auth0|%016x%016x", random.nextLong(), random.nextLong());
            String sessionName = RoleSessionNames.of(subject);
            // A new Instant per answer, as the SDK parses each one's Expiration.
            Instant expiration = Instant.ofEpochSecond(now + 3600 + u % 600);
            AwsSessionCredentials credentials = AwsSessionCredentials.builder()
                    .accessKeyId("ASIA" + upperAlphanumeric(random, 16))
                    .secretAccessKey(token(random, 30))
                    .sessionToken(token(random, SESSION_TOKEN_LENGTH * 3 / 4))
                    .expirationTime(expiration)
                    .providerName("aws-delegation")
                    .build();
            // Each a string of its own, as the SDK parses them from the answer.
            IssuedCredentials issued = new IssuedCredentials(credentials, expiration, ROLE_ARN,
                    ASSUMED_ROLE_PREFIX + sessionName, roleId + ":" + sessionName, null,
                    UUID.randomUUID().toString());
            cache.get(new SessionKey(ISSUER, subject, ROLE_ARN, sha256Hex(random)), () -> issued);
        }
        long after = usedHeap();
        String histogram = HeapHistogram.table(HeapHistogram.take().minus(histogramBefore), users);
        if (cache.size() != users) {
            throw new IllegalStateException("cache holds " + cache.size() + " of " + users);
        }
        long bytes = after - before;
        Result result = new Result(users, bytes, (double) bytes / users, SESSION_TOKEN_LENGTH + 16, histogram);
        cache.close();
        return result;
    }

    // One production-shaped value, then rounds of calls; each result is written to a volatile field, so that the JIT
    // cannot drop the object. Allocation from the thread's own counter, which counts every TLAB byte it took; the
    // thread's CPU time beside the wall clock, which other load on the machine stretches (the collector's work on other
    // threads is in neither).
    private static void credentialsCalls(int rounds) {
        SecureRandom random = new SecureRandom();
        String sessionName = RoleSessionNames.of("auth0|0123456789abcdef0123456789abcdef");
        Instant expiration = Instant.now().plusSeconds(3600);
        IssuedCredentials issued = new IssuedCredentials(AwsSessionCredentials.builder()
                .accessKeyId("ASIA" + upperAlphanumeric(random, 16)).secretAccessKey(token(random, 30))
                .sessionToken(token(random, SESSION_TOKEN_LENGTH * 3 / 4)).expirationTime(expiration)
                .providerName("aws-delegation").build(), expiration, ROLE_ARN, ASSUMED_ROLE_PREFIX + sessionName,
                "AROA" + upperAlphanumeric(random, 17) + ":" + sessionName, null, UUID.randomUUID().toString());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int calls = 1_000_000;
        for (int round = 0; round < rounds; round++) {
            long bytesBefore = threads.getCurrentThreadAllocatedBytes();
            long cpuBefore = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                sink = issued.credentials();
            }
            long nanos = System.nanoTime() - start;
            long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
            long bytes = threads.getCurrentThreadAllocatedBytes() - bytesBefore;
            System.out.printf(Locale.ROOT, "round %d: %.1f ns (%.1f ns of the thread's CPU) and %.0f bytes per credentials() "
                    + "call%n", round, (double) nanos / calls, (double) cpu / calls, (double) bytes / calls);
        }
    }

    private static String upperAlphanumeric(SecureRandom random, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    // Stands for the plan's fingerprint: a SHA-256 in hex over the session's shape (unique per user here).
    private static String sha256Hex(SecureRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String token(SecureRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    static long usedHeap() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}

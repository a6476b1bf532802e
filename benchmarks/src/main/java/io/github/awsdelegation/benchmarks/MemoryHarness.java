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
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Heap per cached user: fills a {@link CredentialCache} with 100,000 users' credentials shaped like real STS
 * answers (a 20-character access key id, a 40-character secret key, a session token of the length AWS issues
 * for web identity, ~ 900 characters, assumed-role ARN and id) and measures the heap before and after, with
 * full collections.
 */
final class MemoryHarness {

    /** The length of a typical STS session token for AssumeRoleWithWebIdentity. */
    static final int SESSION_TOKEN_LENGTH = 900;

    record Result(int users, long bytes, double bytesPerUser, double sessionTokenBytesPerUser) {
    }

    static Result run(int users) throws InterruptedException {
        SecureRandom random = new SecureRandom();
        CredentialCache cache = CredentialCache.builder().maximumSize(users).refreshExecutor(Runnable::run).build();
        long before = usedHeap();
        Instant expiration = Instant.now().plusSeconds(3600);
        for (int u = 0; u < users; u++) {
            String subject = "auth0|" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
            String sessionName = RoleSessionNames.of(subject);
            IssuedCredentials issued = new IssuedCredentials(AwsSessionCredentials.builder()
                    .accessKeyId("ASIA" + token(random, 12))
                    .secretAccessKey(token(random, 30))
                    .sessionToken(token(random, SESSION_TOKEN_LENGTH * 3 / 4))
                    .expirationTime(expiration).build(), expiration, "arn:aws:iam::123456789012:role/pet-shop-buyer",
                    "arn:aws:sts::123456789012:assumed-role/pet-shop-buyer/" + sessionName,
                    "AROA" + token(random, 13) + ":" + sessionName);
            cache.get(new SessionKey("https://example.eu.auth0.com/", subject, "arn:aws:iam::123456789012:role/pet-shop-buyer", ""),
                    () -> issued);
        }
        long after = usedHeap();
        if (cache.size() != users) {
            throw new IllegalStateException("cache holds " + cache.size() + " of " + users);
        }
        long bytes = after - before;
        Result result = new Result(users, bytes, (double) bytes / users, SESSION_TOKEN_LENGTH + 16);
        cache.close();
        return result;
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

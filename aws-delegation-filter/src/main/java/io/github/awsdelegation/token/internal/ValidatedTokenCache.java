package io.github.awsdelegation.token.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Remembers tokens that passed every check, so that a client sending the same token on every request
 * costs one hash and one map lookup instead of a signature verification.
 *
 * <p>The key is the SHA-256 of the token and the expected nonce: a cache dump holds no usable token,
 * and a token validated without a nonce is not thereby validated with one. Each entry lives until the
 * token stops being acceptable (its {@code exp} plus the clock skew, or its {@code iat} plus the maximum
 * age, whichever is first), measured on the injected {@link Clock} through a Caffeine {@link Ticker};
 * {@link #get} checks that deadline again, so an entry cannot outlive its token even if Caffeine has
 * not evicted it yet or the clock went back.
 */
public final class ValidatedTokenCache {

    private record Entry(VerifiedIdentity identity, Instant deadline) {
    }

    private final Clock clock;
    private final Cache<String, Entry> cache;

    /**
     * Creates the cache.
     *
     * @param maximumSize how many tokens to remember at most; 0 disables the cache
     * @param clock       the clock the deadlines are measured on
     */
    public ValidatedTokenCache(long maximumSize, Clock clock) {
        this.clock = clock;
        this.cache = maximumSize == 0 ? null : Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(() -> nanos(clock.instant()))
                .expireAfter(new UntilDeadline(clock))
                // Maintenance on the calling thread: no ForkJoinPool tasks, and deterministic in tests.
                .executor(Runnable::run)
                .build();
    }

    /**
     * Returns the cache key of a token and nonce. The validator looks a token up by it before the shape check
     * ({@link TokenPrechecks#checkShape}), so an equal key must stand for the very token that was validated: the hashed
     * input is the length of the token's ISO-8859-1 bytes, those bytes, NUL, then a marker and the nonce when there is
     * one. Only tokens of base64url parts and dots are ever put; a presented token with any other character hashes
     * differently (a character up to U+00FF is its own byte, any other becomes {@code ?}, which no base64url token holds,
     * and the length prefix keeps the token's bytes apart from the nonce's), so it misses and goes through every check.
     * ISO-8859-1 rather than ASCII: the bytes of a compact string are copied as they are, not scanned.
     *
     * @param token         the token, at most {@link TokenPrechecks#MAX_TOKEN_LENGTH} characters
     * @param expectedNonce the expected nonce, or {@code null}
     */
    public static String keyOf(String token, String expectedNonce) {
        MessageDigest sha256 = sha256();
        byte[] bytes = token.getBytes(StandardCharsets.ISO_8859_1);
        int n = bytes.length;
        sha256.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        sha256.update(bytes);
        // NUL then a marker keep "no nonce" apart from an empty nonce.
        sha256.update((byte) 0);
        if (expectedNonce != null) {
            sha256.update((byte) 1);
            sha256.update(expectedNonce.getBytes(StandardCharsets.UTF_8));
        }
        // The digest's 32 bytes as 32 characters (each byte its own ISO-8859-1 character): one copy, where Base64 made
        // two; only compared and hashed, never shown.
        return new String(sha256.digest(), StandardCharsets.ISO_8859_1);
    }

    // Cloning a prototype skips getInstance's provider lookup on every request.
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException("SHA-256 is required of every Java platform", impossible);
            }
        }
    }

    /** Returns the identity remembered under {@code key} while its token is still acceptable, or {@code null}. */
    public VerifiedIdentity get(String key) {
        if (cache == null) {
            return null;
        }
        Entry entry = cache.getIfPresent(key);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.deadline())) {
            cache.invalidate(key);
            return null;
        }
        return entry.identity();
    }

    /** Remembers an identity until {@code deadline}; does nothing when the deadline has passed. */
    public void put(String key, VerifiedIdentity identity, Instant deadline) {
        if (cache != null && clock.instant().isBefore(deadline)) {
            cache.put(key, new Entry(identity, deadline));
        }
    }

    /** Evicts what has expired and returns how many tokens are remembered (approximately, as Caffeine counts). */
    public long size() {
        if (cache == null) {
            return 0;
        }
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static final class UntilDeadline implements Expiry<String, Entry> {

        private final Clock clock;

        UntilDeadline(Clock clock) {
            this.clock = clock;
        }

        @Override
        public long expireAfterCreate(String key, Entry entry, long currentTime) {
            Duration remaining = Duration.between(clock.instant(), entry.deadline());
            try {
                return Math.max(0, remaining.toNanos());
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE; // centuries away: Caffeine caps it
            }
        }

        @Override
        public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
            return expireAfterCreate(key, entry, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}

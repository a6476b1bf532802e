package io.github.awsdelegation.token.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
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
 *
 * <p>A hit is on every request of a bearer client, so it reads the clock in milliseconds ({@link Clock#millis()}
 * allocates nothing on the system clock) and the key is one small object of four {@code long}s: no text is built from
 * the digest, and the lookup compares it without following a pointer to a byte array.
 */
public final class ValidatedTokenCache {

    // The deadline as the clock's milliseconds, truncated (so never later than the token's): read on every hit.
    private record Entry(VerifiedIdentity identity, long deadlineMillis) {
    }

    /**
     * A token's cache key: its SHA-256 (with the nonce, see {@link #keyOf}) as four {@code long}s. Compared and hashed,
     * never shown: {@link #toString()} names no bits of it.
     */
    public static final class Key {

        private final long a;
        private final long b;
        private final long c;
        private final long d;

        private Key(long a, long b, long c, long d) {
            this.a = a;
            this.b = b;
            this.c = c;
            this.d = d;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.a == a && k.b == b && k.c == c && k.d == d;
        }

        @Override
        public int hashCode() {
            return (int) a; // bits of a SHA-256: as well spread as any mix of them
        }

        @Override
        public String toString() {
            return "ValidatedTokenCache.Key";
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Clock clock;
    private final Cache<Key, Entry> cache;

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
                .ticker(() -> clock.millis() * 1_000_000L)
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
    public static Key keyOf(String token, String expectedNonce) {
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
        byte[] digest = sha256.digest();
        return new Key((long) LONGS.get(digest, 0), (long) LONGS.get(digest, 8), (long) LONGS.get(digest, 16),
                (long) LONGS.get(digest, 24));
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
    public VerifiedIdentity get(Key key) {
        if (cache == null) {
            return null;
        }
        Entry entry = cache.getIfPresent(key);
        if (entry == null) {
            return null;
        }
        if (clock.millis() >= entry.deadlineMillis()) {
            cache.invalidate(key);
            return null;
        }
        return entry.identity();
    }

    /** Remembers an identity until {@code deadline}; does nothing when the deadline has passed. */
    public void put(Key key, VerifiedIdentity identity, Instant deadline) {
        long deadlineMillis = millis(deadline);
        if (cache != null && clock.millis() < deadlineMillis) {
            cache.put(key, new Entry(identity, deadlineMillis));
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

    // Truncated to the millisecond (never later than the instant); centuries away saturates.
    private static long millis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return instant.isAfter(Instant.EPOCH) ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
    }

    private static final class UntilDeadline implements Expiry<Key, Entry> {

        private final Clock clock;

        UntilDeadline(Clock clock) {
            this.clock = clock;
        }

        @Override
        public long expireAfterCreate(Key key, Entry entry, long currentTime) {
            long now = clock.millis();
            if (entry.deadlineMillis() <= now) {
                return 0;
            }
            long remainingMillis = entry.deadlineMillis() - now; // negative only when it overflowed
            // Centuries away (or a saturated deadline): Caffeine caps it.
            return remainingMillis < 0 || remainingMillis >= Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE
                    : remainingMillis * 1_000_000L;
        }

        @Override
        public long expireAfterUpdate(Key key, Entry entry, long currentTime, long currentDuration) {
            return expireAfterCreate(key, entry, currentTime);
        }

        @Override
        public long expireAfterRead(Key key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}

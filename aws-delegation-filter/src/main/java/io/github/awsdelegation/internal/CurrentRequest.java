package io.github.awsdelegation.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id of the HTTP request the current thread serves, for the {@link io.github.awsdelegation.DelegationEvent}s it
 * causes: the entry points open a scope per request ({@link #open}), the listeners read it ({@link #id}). A client's
 * request id header is taken when it is safe to log and to pass on (a short token of letters, digits and
 * {@code -._:/+=@}); anything else is replaced by a generated id, so that a client cannot forge audit lines.
 */
public final class CurrentRequest {

    /** By default, the request id is read from (and answered in) this header. */
    public static final String DEFAULT_HEADER = "X-Request-Id";

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/+=@-]{0,127}");
    private static final ThreadLocal<String> ID = new ThreadLocal<>();

    private CurrentRequest() {
    }

    /** Returns the current request's id, or {@code null} outside a request (e.g. on a background thread). */
    public static String id() {
        return ID.get();
    }

    /** Returns a client's request id when it is safe, else a generated one. */
    public static String idFrom(String header) {
        return header != null && SAFE_ID.matcher(header).matches() ? header : generate();
    }

    /**
     * Returns a new random request id: a version 4 UUID. Its bits come from {@link ThreadLocalRandom}, not
     * {@link UUID#randomUUID()}'s {@code SecureRandom}: a request id correlates records and need not be secret (a client
     * may choose its own), and every request without one makes one.
     */
    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;             // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }

    /**
     * Makes {@code id} the current request's id until the scope is closed, which restores the previous one (a request
     * forwarded within a request keeps its outer id).
     */
    public static Scope open(String id) {
        String previous = ID.get();
        if (previous != null) {
            return NOTHING;
        }
        ID.set(id);
        return CLEAR;
    }

    /**
     * Makes {@code id} the current request's id until the scope is closed, for a caller that has just found that no
     * request is in scope ({@link #id} returned {@code null}): {@link #open} without asking again.
     */
    public static Scope start(String id) {
        ID.set(id);
        return CLEAR;
    }

    private static final Scope NOTHING = () -> { };
    // Cleared, not removed: the container's pooled thread keeps the slot with nothing in it (a null holds no class of
    // the app), so the next request's set replaces a value in place. Removing it made every request insert into the
    // thread's map again and tidy it up (ThreadLocalMap.set / cleanSomeSlots were 4 % of the filter's samples).
    private static final Scope CLEAR = () -> ID.set(null);

    /** Ends a request's scope; it does not throw. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}

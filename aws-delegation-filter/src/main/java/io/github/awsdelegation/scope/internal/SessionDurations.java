package io.github.awsdelegation.scope.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses how long each role's credentials live: the configured duration clamped to STS's bounds
 * ({@value #MIN_SECONDS} to {@value #MAX_SECONDS} seconds, STS {@code DurationSeconds}), to the 1-hour limit of role
 * chaining, and to what the module has learned about the role's maximum session duration.
 *
 * <p>STS refuses a duration over the role's {@code MaxSessionDuration} ("The requested DurationSeconds exceeds the
 * MaxSessionDuration set for this role") without saying the maximum, and a web identity has no right to ask IAM.
 * Every role's maximum is at least 1 hour, so the issuer retries once with 1 hour and {@link #learn remembers} it
 * for the role: later requests go straight to 1 hour. Thread-safe.
 */
public final class SessionDurations {

    /** STS's shortest duration, in seconds. */
    public static final long MIN_SECONDS = 900;
    /** STS's longest duration, in seconds. */
    public static final long MAX_SECONDS = 43_200;
    /** The longest session of role chaining, and the smallest maximum a role can have: 1 hour. */
    public static final Duration ONE_HOUR = Duration.ofHours(1);

    private final Map<String, Duration> learned = new ConcurrentHashMap<>();

    /**
     * Returns the duration to ask STS for.
     *
     * @param roleArn     the role
     * @param configured  the configured duration (the rule's, or the default)
     * @param roleChaining whether the caller is itself a role session (STS AssumeRole with session credentials)
     */
    public Duration choose(String roleArn, Duration configured, boolean roleChaining) {
        long seconds = Math.max(MIN_SECONDS, Math.min(MAX_SECONDS, Objects.requireNonNull(configured, "configured").toSeconds()));
        if (roleChaining) {
            seconds = Math.min(seconds, ONE_HOUR.toSeconds());
        }
        Duration maximum = learned.get(roleArn);
        if (maximum != null) {
            seconds = Math.min(seconds, maximum.toSeconds());
        }
        return Duration.ofSeconds(seconds);
    }

    /** Remembers that a role's maximum session duration is (at most) {@code maximum}. */
    public void learn(String roleArn, Duration maximum) {
        learned.merge(roleArn, maximum, (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }

    /** Returns what was learned about a role's maximum session duration. */
    public Optional<Duration> learnedMaximum(String roleArn) {
        return Optional.ofNullable(learned.get(roleArn));
    }
}

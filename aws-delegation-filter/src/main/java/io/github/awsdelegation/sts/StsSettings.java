package io.github.awsdelegation.sts;

import io.github.awsdelegation.internal.InvalidSettingException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * How the module reaches STS.
 *
 * <p>Build with {@link #builder()}; every setting has a default but the region.
 */
public final class StsSettings {

    /** The default time for one whole STS call, retries included: 5 seconds. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

    /** The default time for one attempt of an STS call: 2 seconds. */
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);

    /** The default number of attempts of an STS call (throttling and transient errors are retried): 3. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    /** The default {@code Retry-After} answered while STS is unavailable: 5 seconds. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    /** By default, credentials live 1 hour (STS's default, and the maximum of a role unless raised). */
    public static final Duration DEFAULT_SESSION_DURATION = Duration.ofHours(1);

    /** STS's shortest session: 15 minutes. */
    public static final Duration MIN_SESSION_DURATION = Duration.ofMinutes(15);

    /** STS's longest session: 12 hours. */
    public static final Duration MAX_SESSION_DURATION = Duration.ofHours(12);

    private final Region region;
    private final URI endpointOverride;
    private final Duration callTimeout;
    private final Duration attemptTimeout;
    private final int maxAttempts;
    private final Duration retryAfter;
    private final AwsCredentialsProvider credentials;
    private final Duration sessionDuration;
    private final StsBudget budget;

    private StsSettings(Builder b) {
        this.region = Objects.requireNonNull(b.region, "region: set the AWS region whose STS endpoint to use");
        this.endpointOverride = b.endpointOverride;
        this.callTimeout = b.callTimeout;
        this.attemptTimeout = b.attemptTimeout;
        this.maxAttempts = b.maxAttempts;
        this.retryAfter = b.retryAfter;
        this.credentials = b.credentials;
        this.sessionDuration = checkSessionDuration(b.sessionDuration);
        this.budget = Objects.requireNonNull(b.budget, "budget");
        requirePositive("callTimeout", callTimeout);
        requirePositive("attemptTimeout", attemptTimeout);
        if (maxAttempts < 1) {
            throw new InvalidSettingException("maxAttempts", "maxAttempts: must be at least 1");
        }
        if (retryAfter.isNegative()) {
            throw new InvalidSettingException("retryAfter", "retryAfter: must not be negative");
        }
    }

    private static void requirePositive(String setting, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidSettingException(setting, setting + ": must be positive, e.g. 2s");
        }
    }

    /**
     * Checks a session duration against STS's range, {@link #MIN_SESSION_DURATION} to {@link #MAX_SESSION_DURATION}.
     *
     * @return the duration
     * @throws InvalidSettingException naming {@code sessionDuration}
     */
    public static Duration checkSessionDuration(Duration duration) {
        if (duration == null || duration.compareTo(MIN_SESSION_DURATION) < 0 || duration.compareTo(MAX_SESSION_DURATION) > 0) {
            throw new InvalidSettingException("sessionDuration", "sessionDuration: " + duration
                    + " is outside STS's range of 15 minutes to 12 hours");
        }
        return duration;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the default region; its regional STS endpoint is used unless a role names another region. */
    public Region region() {
        return region;
    }

    /**
     * Returns the app's own AWS credentials, which sign STS AssumeRole for roles with {@code federation: assume-role}, or
     * {@code null} for the AWS SDK's default credentials provider chain.
     */
    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** Returns the endpoint that replaces STS for every region (a local STS in tests), or {@code null}. */
    public URI endpointOverride() {
        return endpointOverride;
    }

    /** Returns the time for one whole STS call, retries included. */
    public Duration callTimeout() {
        return callTimeout;
    }

    /** Returns the time for one attempt. */
    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    /** Returns the number of attempts of a call. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Returns the {@code Retry-After} to answer while STS is unavailable. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Returns the lifetime of credentials for roles that do not set their own. */
    public Duration sessionDuration() {
        return sessionDuration;
    }

    /** Builds {@link StsSettings}. */
    /** Returns how many STS calls may be made per user and per account and Region ({@code sts.budget}). */
    public StsBudget budget() {
        return budget;
    }

    public static final class Builder {

        private Region region;
        private URI endpointOverride;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private Duration attemptTimeout = DEFAULT_ATTEMPT_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private AwsCredentialsProvider credentials;
        private Duration sessionDuration = DEFAULT_SESSION_DURATION;
        private StsBudget budget = StsBudget.DEFAULT;

        private Builder() {
        }

        /** Sets the default region. Required. */
        /**
         * Sets how many STS calls may be made per user and per account and Region. By default,
         * {@link StsBudget#DEFAULT}: 60 a minute per user, 100 a second (burst 200) per account and Region.
         */
        public Builder budget(StsBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        public Builder region(Region region) {
            this.region = region;
            return this;
        }

        /** Replaces the STS endpoint for every region, e.g. with a local STS. By default, none. */
        public Builder endpointOverride(URI endpoint) {
            this.endpointOverride = endpoint;
            return this;
        }

        /** Sets the time for one whole call. By default, 5 seconds. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Sets the time for one attempt. By default, 2 seconds. */
        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Sets the number of attempts. By default, 3. */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = attempts;
            return this;
        }

        /** Sets the {@code Retry-After} answered while STS is unavailable. By default, 5 seconds. */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = Objects.requireNonNull(retryAfter);
            return this;
        }

        /**
         * Sets the app's own AWS credentials for STS AssumeRole. By default, none: the AWS SDK's default credentials
         * provider chain, resolved when a role with {@code federation: assume-role} is first used.
         */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Sets the lifetime of credentials for roles that do not set their own, 15 minutes to 12 hours. By default, 1 hour. */
        public Builder sessionDuration(Duration duration) {
            this.sessionDuration = duration;
            return this;
        }

        /** Builds the settings. */
        public StsSettings build() {
            return new StsSettings(this);
        }
    }
}

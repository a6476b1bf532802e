package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.sts.StsBudget;
import io.github.awsdelegation.sts.StsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The {@code sts} section, as written; {@link #get()} makes the {@link StsSettings}, whose builder holds the defaults.
 * A key left out ({@code null} here) keeps the builder's default.
 *
 * @param region          the default region; required
 * @param endpoint        the endpoint that replaces STS's for every region (a local STS in tests)
 * @param callTimeout     the time for one whole call, retries included
 * @param attemptTimeout  the time for one attempt
 * @param maxAttempts     the number of attempts
 * @param retryAfter      the {@code Retry-After} answered while STS is unavailable
 * @param sessionDuration the lifetime of credentials for roles that do not set their own
 * @param credentials     the app's own AWS credentials for roles with {@code federation: assume-role}
 * @param budget          how many STS calls may be made per user and per account and Region
 */
public record StsDocument(@Required String region, URI endpoint, Duration callTimeout, Duration attemptTimeout,
        Integer maxAttempts, Duration retryAfter, Duration sessionDuration, Credentials credentials,
        Budget budget)
        implements Supplier<StsSettings> {

    public StsDocument {
        if (!Region.regions().contains(Region.of(region))) {
            throw new ConfigurationException("region", "'" + region + "' is not an AWS region known to the AWS SDK");
        }
    }

    @Override
    public StsSettings get() {
        StsSettings.Builder sts = StsSettings.builder().region(Region.of(region)).endpointOverride(endpoint);
        if (callTimeout != null) {
            sts.callTimeout(callTimeout);
        }
        if (attemptTimeout != null) {
            sts.attemptTimeout(attemptTimeout);
        }
        if (maxAttempts != null) {
            sts.maxAttempts(maxAttempts);
        }
        if (retryAfter != null) {
            sts.retryAfter(retryAfter);
        }
        if (sessionDuration != null) {
            sts.sessionDuration(sessionDuration);
        }
        if (budget != null) {
            sts.budget(budget.get());
        }
        if (credentials != null) {
            sts.credentials(StaticCredentialsProvider.create(credentials.sessionToken() == null
                    ? AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())
                    : AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                            credentials.sessionToken())));
        }
        return sts.build();
    }

    /**
     * The {@code sts.budget} section; a key left out keeps {@link StsBudget#DEFAULT}'s value.
     *
     * @param perUser       STS calls per user per window, 0 for no limit
     * @param perUserWindow the rolling window of {@code perUser}
     * @param accountRate   STS calls per second per account and Region, 0 for no limit
     * @param accountBurst  the calls allowed at once after a quiet period; by default, twice the rate
     */
    public record Budget(Integer perUser, Duration perUserWindow, Integer accountRate, Integer accountBurst)
            implements Supplier<StsBudget> {

        @Override
        public StsBudget get() {
            int rate = accountRate != null ? accountRate : StsBudget.DEFAULT.accountRate();
            return new StsBudget(perUser != null ? perUser : StsBudget.DEFAULT.perUser(),
                    perUserWindow != null ? perUserWindow : StsBudget.DEFAULT.perUserWindow(), rate,
                    accountBurst != null ? accountBurst : 2 * rate);
        }
    }

    /**
     * The app's own AWS credentials ({@code sts.credentials}), written as {@code ${VARIABLES}}.
     *
     * @param accessKeyId     the access key id
     * @param secretAccessKey the secret access key
     * @param sessionToken    the session token of temporary credentials, or {@code null}
     */
    public record Credentials(@Required String accessKeyId, @Required String secretAccessKey, String sessionToken) {

        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=<redacted>, sessionToken="
                    + (sessionToken == null ? "none" : "<redacted>") + "]";
        }
    }
}

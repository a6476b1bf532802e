package io.github.awsdelegation.sts.internal;

import io.github.awsdelegation.internal.LogSafe;
import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.scope.SessionScope;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.CredentialsUnavailableException;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.sts.internal.Partition;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.token.TokenRejectedException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumedRoleUser;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.PolicyDescriptorType;
import software.amazon.awssdk.services.sts.model.IdpCommunicationErrorException;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.services.sts.model.StsResponse;

/**
 * What every {@code AssumeRole*} sources shares: one {@link StsClient} per region — anonymous for the
 * {@code AssumeRoleWith*} operations (not signed: the token or assertion is the proof), signed with the app's own
 * credentials for AssumeRole — on one HTTP client (the JDK's {@code HttpURLConnection}, whose keep-alive connections
 * are the JVM's, shared by every source), the choice of
 * the regional endpoint for a role, and the translation of STS's answers into the module's exceptions.
 *
 * <p>Throttling, transient errors and {@code IDPCommunicationError} are retried by the SDK's standard retry
 * strategy within the configured call timeout.
 */
public final class StsCalls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StsCalls.class);

    // STS error codes that mean the presented token or assertion was not accepted, and those the app's
    // configuration must fix (403 + an error log line for the operator).
    private static final Set<String> TOKEN_ERRORS = Set.of("InvalidIdentityToken", "ExpiredTokenException", "IDPRejectedClaim");
    private static final Set<String> CONFIGURATION_ERRORS = Set.of("AccessDenied", "AccessDeniedException",
            "MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabledException", "ValidationError",
            // AssumeRole only: the app's own AWS credentials are wrong or expired.
            "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "MissingAuthenticationToken",
            "IncompleteSignature", "UnrecognizedClientException");
    // What an operator should check, by STS error code (STS API Reference, "Errors" of each AssumeRole* action).
    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("AccessDenied", "the role's trust policy must trust this caller, and allow sts:TagSession "
                    + "when the role sets tags and sts:SetSourceIdentity when it sets a source identity"),
            Map.entry("MalformedPolicyDocument", "check the rule's sessionPolicy (as rendered for this user) and "
                    + "managedPolicies"),
            Map.entry("PackedPolicyTooLarge", "the session policy, managed policy ARNs and session tags together "
                    + "exceed STS's packed size: shorten the session policy or configure fewer tags"),
            Map.entry("RegionDisabledException", "activate STS in this region (IAM console, Account settings) or "
                    + "give the role a region where it is active"),
            Map.entry("ValidationError", "check the role's sessionDuration against its MaxSessionDuration and "
                    + "the session name, tags and source identity against STS's limits"),
            Map.entry("InvalidClientTokenId", "check the app's own AWS credentials (sts.credentials or the "
                    + "default credentials provider chain)"),
            Map.entry("SignatureDoesNotMatch", "check the app's secret access key (sts.credentials or the "
                    + "default credentials provider chain)"),
            Map.entry("ExpiredToken", "the app's own AWS session credentials expired: refresh them"));

    /**
     * How a source wants STS's refusals explained.
     *
     * @param operation         the STS operation, for log lines, e.g. {@code AssumeRoleWithSAML}
     * @param tokenFaultIsUsers whether a rejected token is the user's fault (an expired ID token: 401) rather than
     *                          the configuration's (an assertion this module signed: 403 and an error log line)
     * @param tokenHint         what to check when STS rejects the token or assertion
     * @param configurationHint what to check when STS refuses the role
     */
    public record Advice(String operation, boolean tokenFaultIsUsers, String tokenHint, String configurationHint) {
    }

    private final StsSettings settings;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient httpClient;
    private final Map<Region, StsClient> clients = new ConcurrentHashMap<>();

    /** Creates the clients' shared HTTP pool; clients themselves are made on first use per region. */
    public StsCalls(StsSettings settings) {
        this(settings, AnonymousCredentialsProvider.create());
    }

    /**
     * Creates clients that sign their calls with the given credentials (STS AssumeRole); the
     * {@code AssumeRoleWith*} operations use anonymous clients instead.
     */
    public StsCalls(StsSettings settings, AwsCredentialsProvider credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.httpClient = UrlConnectionHttpClient.builder()
                .connectionTimeout(settings.attemptTimeout())
                .socketTimeout(settings.attemptTimeout())
                .build();
    }

    /** Returns the settings. */
    public StsSettings settings() {
        return settings;
    }

    /**
     * Calls STS for one request and turns a failure into the module's exceptions.
     *
     * @param request the request, for messages and log lines
     * @param advice  how to explain refusals
     * @param call    the operation, given the region's client
     * @throws TokenRejectedException, RoleDeniedException, CredentialsUnavailableException as {@link
     *         io.github.awsdelegation.sts.CredentialSource#issue} documents
     */
    public <T> T call(CredentialRequest request, Advice advice, Function<StsClient, T> call) {
        Region region = request.region() != null ? request.region()
                : Partition.regionFor(request.role(), settings.region());
        try {
            return call.apply(client(region));
        } catch (StsException e) {
            throw translate(e, request, advice);
        } catch (SdkClientException e) {
            LOG.warn("STS in {} cannot be reached for role {}: {}", region, request.role().roleArn(), e.getMessage());
            throw new CredentialsUnavailableException("AWS STS cannot be reached right now (" + rootCause(e)
                    + "); try again shortly", settings.retryAfter(), e);
        }
    }

    /** Returns a scope's managed session policies as STS's {@code PolicyArns}, or {@code null} (not sent) for none. */
    public static List<PolicyDescriptorType> policyArns(SessionScope scope) {
        return scope.policyArns().isEmpty() ? null
                : scope.policyArns().stream().map(arn -> PolicyDescriptorType.builder().arn(arn).build()).toList();
    }

    /**
     * Builds the issued credentials from an {@code AssumeRole*} answer, with the source identity it states and the
     * request id STS answered ({@code x-amzn-RequestId}, the {@code requestID} CloudTrail records).
     */
    public static IssuedCredentials issued(Credentials c, AssumedRoleUser user, String sourceIdentity, StsResponse response,
            String roleArn) {
        Instant expiration = c.expiration();
        AwsSessionCredentials credentials = AwsSessionCredentials.builder()
                .accessKeyId(c.accessKeyId())
                .secretAccessKey(c.secretAccessKey())
                .sessionToken(c.sessionToken())
                .expirationTime(expiration)
                .providerName("aws-delegation")
                .build();
        String requestId = response.responseMetadata() == null ? null : response.responseMetadata().requestId();
        // The SDK says "UNKNOWN" when the answer carried no request id.
        if ("UNKNOWN".equals(requestId)) {
            requestId = null;
        }
        return new IssuedCredentials(credentials, expiration, roleArn, user.arn(), user.assumedRoleId(), sourceIdentity,
                requestId);
    }

    private RuntimeException translate(StsException e, CredentialRequest request, Advice advice) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        // STS quotes the request (role session name, token claims) in its messages: logged escaped, as the subject.
        String message = LogSafe.of(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
        String role = request.role().roleArn();
        String subject = LogSafe.of(request.identity().subject());
        code = code == null ? null : LogSafe.of(code);
        if (code != null && TOKEN_ERRORS.contains(code)) {
            if (advice.tokenFaultIsUsers()) {
                LOG.info("STS rejected the ID token of {} for role {}: {}: {}", subject, role, code, message);
                return new TokenRejectedException("STS rejected the ID token: " + code + ": " + message
                        + " (" + advice.tokenHint() + ")", e);
            }
            LOG.error("STS ({}) rejected the assertion for role {} and {}: {}: {} - {}", advice.operation(), role, subject,
                    code, message, advice.tokenHint());
            return new RoleDeniedException("STS refused role " + role + ": " + code + ": " + message
                    + " (" + advice.tokenHint() + ")", e);
        }
        if ("ValidationError".equals(code) && message != null && message.contains("DurationSeconds exceeds")) {
            LOG.warn("STS refused {} for role {}: {} (retried once with 1 hour, which every role allows)",
                    request.duration(), role, message);
            return new io.github.awsdelegation.sts.internal.SessionDurationExceededException("STS refused role " + role + ": "
                    + code + ": " + message, e);
        }
        if (code != null && CONFIGURATION_ERRORS.contains(code)) {
            LOG.error("STS ({}) refused role {} for {}: {}: {} - {}", advice.operation(), role, subject, code, message,
                    HINTS.getOrDefault(code, advice.configurationHint()));
            return new RoleDeniedException("STS refused role " + role + ": " + code + ": " + message, e);
        }
        if (code == null && (e.statusCode() == 400 || e.statusCode() == 403)) {
            // An answer without an error code (Ceph RGW sends S3-style error bodies) is judged by its status: a refusal
            // that retrying will not change.
            LOG.error("STS ({}) refused role {} for {} with HTTP {} and no error code - {}", advice.operation(), role, subject,
                    e.statusCode(), advice.configurationHint());
            return new RoleDeniedException("STS refused role " + role + " (HTTP " + e.statusCode() + ", no error code)", e);
        }
        LOG.warn("STS failed for role {}: {} (HTTP {}): {}", role, code, e.statusCode(), message);
        return new CredentialsUnavailableException("AWS STS is unavailable right now (" + code + "); try again shortly",
                settings.retryAfter(), e);
    }

    private StsClient client(Region region) {
        return clients.computeIfAbsent(region, r -> {
            var builder = StsClient.builder()
                    .region(r)
                    .httpClient(httpClient)
                    .credentialsProvider(credentials)
                    .overrideConfiguration(o -> o
                            .apiCallTimeout(settings.callTimeout())
                            .apiCallAttemptTimeout(settings.attemptTimeout())
                            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                    .maxAttempts(settings.maxAttempts())
                                    .retryOnException(t -> t instanceof IdpCommunicationErrorException)
                                    .build()));
            if (settings.endpointOverride() != null) {
                builder.endpointOverride(settings.endpointOverride());
            }
            return builder.build();
        });
    }

    private static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }

    /** Closes every client and the connection pool. */
    @Override
    public void close() {
        clients.values().forEach(StsClient::close);
        clients.clear();
        httpClient.close();
    }
}

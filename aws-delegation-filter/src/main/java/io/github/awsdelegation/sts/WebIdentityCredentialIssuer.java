package io.github.awsdelegation.sts;

import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.token.TokenRejectedException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.IdpCommunicationErrorException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Obtains credentials with STS AssumeRoleWithWebIdentity, presenting the user's ID token. STS itself
 * checks the token against the IAM OIDC provider and the role's trust policy, so the app needs no AWS
 * credentials of its own.
 *
 * <p>One {@link StsClient} per region, all on one shared HTTP connection pool, calling the regional STS
 * endpoint (or the configured override). Throttling, transient errors and IDPCommunicationError are
 * retried by the SDK's standard retry strategy within the configured call timeout.
 */
public final class WebIdentityCredentialIssuer implements CredentialIssuer {

    private static final Logger LOG = LoggerFactory.getLogger(WebIdentityCredentialIssuer.class);

    // STS error codes that mean the token itself was not accepted (401), and those the app's
    // configuration must fix (403 + an error log line for the operator).
    private static final Set<String> TOKEN_ERRORS = Set.of("InvalidIdentityToken", "ExpiredTokenException", "IDPRejectedClaim");
    private static final Set<String> CONFIGURATION_ERRORS = Set.of("AccessDenied", "AccessDeniedException",
            "MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabledException", "ValidationError");

    private final StsSettings settings;
    private final SdkHttpClient httpClient;
    private final Map<Region, StsClient> clients = new ConcurrentHashMap<>();

    /** Creates an issuer with the given STS settings. */
    public WebIdentityCredentialIssuer(StsSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.httpClient = UrlConnectionHttpClient.builder()
                .connectionTimeout(settings.attemptTimeout())
                .socketTimeout(settings.attemptTimeout())
                .build();
    }

    @Override
    public IssuedCredentials issue(CredentialRequest request) {
        Objects.requireNonNull(request.idToken(), "web identity needs the user's ID token");
        Region region = request.role().regionName().map(Region::of).orElse(settings.region());
        AssumeRoleWithWebIdentityRequest.Builder call = AssumeRoleWithWebIdentityRequest.builder()
                .roleArn(request.role().roleArn())
                .roleSessionName(request.sessionName())
                .webIdentityToken(request.idToken())
                .durationSeconds((int) request.duration().toSeconds());
        if (request.sessionPolicy() != null) {
            call.policy(request.sessionPolicy());
        }
        AssumeRoleWithWebIdentityResponse response;
        try {
            response = client(region).assumeRoleWithWebIdentity(call.build());
        } catch (StsException e) {
            throw translate(e, request);
        } catch (SdkClientException e) {
            LOG.warn("STS in {} cannot be reached for role {}: {}", region, request.role().roleArn(), e.getMessage());
            throw new CredentialsUnavailableException("AWS STS cannot be reached right now (" + rootCause(e)
                    + "); try again shortly", settings.retryAfter(), e);
        }
        Credentials c = response.credentials();
        Instant expiration = c.expiration();
        AwsSessionCredentials credentials = AwsSessionCredentials.builder()
                .accessKeyId(c.accessKeyId())
                .secretAccessKey(c.secretAccessKey())
                .sessionToken(c.sessionToken())
                .expirationTime(expiration)
                .providerName("aws-delegation")
                .build();
        return new IssuedCredentials(credentials, expiration, request.role().roleArn(),
                response.assumedRoleUser().arn(), response.assumedRoleUser().assumedRoleId());
    }

    private RuntimeException translate(StsException e, CredentialRequest request) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        String role = request.role().roleArn();
        if (code != null && TOKEN_ERRORS.contains(code)) {
            LOG.info("STS rejected the ID token of {} for role {}: {}: {}", request.identity().subject(), role, code, message);
            return new TokenRejectedException("STS rejected the ID token: " + code + ": " + message
                    + " (check the IAM OIDC provider's audience list and thumbprint)", e);
        }
        if (code != null && CONFIGURATION_ERRORS.contains(code)) {
            LOG.error("STS refused role {} for {}: {}: {} - check the role's trust policy, the IAM OIDC provider "
                    + "and the rule's session policy and duration", role, request.identity().subject(), code, message);
            return new RoleDeniedException("STS refused role " + role + ": " + code + ": " + message, e);
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
                    .credentialsProvider(AnonymousCredentialsProvider.create())
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

    @Override
    public void close() {
        clients.values().forEach(StsClient::close);
        clients.clear();
        httpClient.close();
    }
}

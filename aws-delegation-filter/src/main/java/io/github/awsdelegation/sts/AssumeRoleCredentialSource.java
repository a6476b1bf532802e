package io.github.awsdelegation.sts;

import io.github.awsdelegation.scope.SessionScope;
import io.github.awsdelegation.sts.internal.StsCalls;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.PolicyDescriptorType;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * Obtains credentials with STS AssumeRole, signed with the app's own AWS credentials, for apps that already run with
 * some (an EC2 instance profile, an ECS task role, an IAM user's keys). The user's identity goes into the role session
 * name, the session tags ({@code Tags}, {@code TransitiveTagKeys}), the source identity ({@code SourceIdentity}) and
 * the session policy, so CloudTrail and the role's policies see who is behind each call.
 *
 * <p>When the app's credentials are themselves a role session (they carry a session token), AssumeRole is role
 * chaining, which STS limits to 1 hour: the source then asks for at most 1 hour itself. The role's
 * trust policy must name the app's principal and allow {@code sts:TagSession} and {@code sts:SetSourceIdentity} when
 * tags or a source identity are configured (see docs/iam-setup.md).
 */
public final class AssumeRoleCredentialSource implements CredentialSource {

    private static final StsCalls.Advice ADVICE = new StsCalls.Advice("AssumeRole", false,
            "check the app's own AWS credentials",
            "check that the role's trust policy names the app's principal and allows sts:TagSession and "
                    + "sts:SetSourceIdentity, and the rule's session policy and duration");

    /** STS's limit for role chaining: 1 hour. */
    public static final java.time.Duration ROLE_CHAINING_LIMIT = java.time.Duration.ofHours(1);

    private final StsCalls sts;
    private final AwsCredentialsProvider credentials;

    /**
     * Creates a source that signs with the given credentials.
     *
     * @param settings    how STS is reached
     * @param credentials the app's own AWS credentials
     */
    public AssumeRoleCredentialSource(StsSettings settings, AwsCredentialsProvider credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.sts = new StsCalls(Objects.requireNonNull(settings, "settings"), credentials);
    }

    /**
     * Creates a source that signs with the AWS SDK's default credentials provider chain (environment, system
     * properties, web identity token file, profile, container and instance credentials), resolved on first use.
     */
    public static AssumeRoleCredentialSource withDefaultCredentials(StsSettings settings) {
        return new AssumeRoleCredentialSource(settings, DefaultCredentialsProvider.builder().build());
    }

    /** Tells whether the app's credentials are a role session, so that STS caps AssumeRole at 1 hour (role chaining). */
    public boolean isRoleChaining() {
        return credentials.resolveCredentials() instanceof AwsSessionCredentials;
    }

    @Override
    public IssuedCredentials issue(CredentialRequest request) {
        if (request.duration().compareTo(ROLE_CHAINING_LIMIT) > 0 && isRoleChaining()) {
            // STS refuses more than 1 hour for role chaining, whatever the role's maximum.
            request = request.withDuration(ROLE_CHAINING_LIMIT);
        }
        SessionScope scope = request.scope();
        AssumeRoleRequest.Builder call = AssumeRoleRequest.builder()
                .roleArn(request.role().roleArn())
                .roleSessionName(request.sessionName())
                .durationSeconds((int) request.duration().toSeconds());
        if (scope.sessionPolicy() != null) {
            call.policy(scope.sessionPolicy());
        }
        if (!scope.policyArns().isEmpty()) {
            call.policyArns(scope.policyArns().stream().map(arn -> PolicyDescriptorType.builder().arn(arn).build()).toList());
        }
        if (!scope.tags().isEmpty()) {
            call.tags(scope.tags().entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                    .toList());
        }
        if (!scope.transitiveTagKeys().isEmpty()) {
            call.transitiveTagKeys(scope.transitiveTagKeys());
        }
        if (scope.sourceIdentity() != null) {
            call.sourceIdentity(scope.sourceIdentity());
        }
        AssumeRoleResponse response = sts.call(request, ADVICE, client -> client.assumeRole(call.build()));
        return StsCalls.issued(response.credentials(), response.assumedRoleUser(), response.sourceIdentity(), response,
                request.role().roleArn());
    }

    @Override
    public void close() {
        sts.close();
        if (credentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Nothing more to release.
            }
        }
    }
}

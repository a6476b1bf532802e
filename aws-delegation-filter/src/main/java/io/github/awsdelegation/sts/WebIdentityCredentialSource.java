package io.github.awsdelegation.sts;

import io.github.awsdelegation.sts.internal.StsCalls;
import java.util.Objects;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;

/**
 * Obtains credentials with STS AssumeRoleWithWebIdentity, presenting the user's ID token. STS itself
 * checks the token against the IAM OIDC provider and the role's trust policy, so the app needs no AWS
 * credentials of its own.
 *
 * <p>One {@link StsClient} per region, all on one shared HTTP connection pool, calling the regional STS
 * endpoint of the role's partition (or the configured override). Throttling, transient errors and
 * IDPCommunicationError are retried by the SDK's standard retry strategy within the configured call timeout.
 */
public final class WebIdentityCredentialSource implements CredentialSource {

    private static final StsCalls.Advice ADVICE = new StsCalls.Advice("AssumeRoleWithWebIdentity", true,
            "check the IAM OIDC provider's audience list and thumbprint",
            "check the role's trust policy, the IAM OIDC provider and the rule's session policy and duration");

    private final StsCalls sts;

    /** Creates a source with the given STS settings. */
    public WebIdentityCredentialSource(StsSettings settings) {
        this.sts = new StsCalls(Objects.requireNonNull(settings, "settings"));
    }

    @Override
    public IssuedCredentials issue(CredentialRequest request) {
        Objects.requireNonNull(request.idToken(), "web identity needs the user's ID token");
        AssumeRoleWithWebIdentityRequest call = AssumeRoleWithWebIdentityRequest.builder()
                .roleArn(request.role().roleArn())
                .roleSessionName(request.sessionName())
                .webIdentityToken(request.idToken())
                .durationSeconds((int) request.duration().toSeconds())
                .policy(request.sessionPolicy())
                .policyArns(StsCalls.policyArns(request.scope()))
                .build();
        AssumeRoleWithWebIdentityResponse response = sts.call(request, ADVICE, client -> client.assumeRoleWithWebIdentity(call));
        return StsCalls.issued(response.credentials(), response.assumedRoleUser(), response.sourceIdentity(), response,
                request.role().roleArn());
    }

    @Override
    public void close() {
        sts.close();
    }
}

package io.github.awsdelegation.sts.saml;

import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.sts.CredentialSource;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.sts.internal.StsCalls;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithSamlRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithSamlResponse;

/**
 * Obtains credentials with STS AssumeRoleWithSAML, presenting an assertion this module signs for the user and
 * the one granted role. AWS checks the signature against the IAM SAML provider made from this module's
 * metadata, then the role's trust policy ({@code SAML:aud}, {@code SAML:sub}, ...), so the app needs no AWS
 * credentials of its own and no third party is trusted.
 *
 * <p>The assertion names only the granted role, although the rules may permit more: an assertion that leaked
 * could not be traded for another role. The request's session policy, managed policies and duration go to STS as
 * {@code Policy}, {@code PolicyArns} and {@code DurationSeconds}; the assertion's {@code SessionDuration} and
 * {@code SessionNotOnOrAfter} say the same duration, and the role's session tags and source identity travel in the
 * assertion, the only place AssumeRoleWithSAML reads them from.
 *
 * <p>Clients, retries and the translation of refusals are those of {@link io.github.awsdelegation.sts.WebIdentityCredentialSource},
 * except that a rejected assertion is the configuration's fault (403 and an error log line: the IAM SAML
 * provider does not hold this module's current metadata), not the user's.
 */
public final class SamlCredentialSource implements CredentialSource {

    private static final StsCalls.Advice ADVICE = new StsCalls.Advice("AssumeRoleWithSAML", false,
            "the IAM SAML provider must hold this app's current IdP metadata: upload it again after changing the "
                    + "signing key or the entity ID",
            "check the role's trust policy (Federated: the SAML provider ARN, sts:AssumeRoleWithSAML, SAML:aud), "
                    + "its maximum session duration and the rule's session policy");

    private final StsCalls sts;
    private final SamlAssertionFactory assertions;

    /** Creates a source that signs with the factory's key and calls STS with the given settings. */
    public SamlCredentialSource(StsSettings settings, SamlAssertionFactory assertions) {
        this.sts = new StsCalls(Objects.requireNonNull(settings, "settings"));
        this.assertions = Objects.requireNonNull(assertions, "assertions");
    }

    /**
     * {@inheritDoc}
     *
     * @throws RoleDeniedException also when the role has no IAM SAML provider as principal
     * @throws io.github.awsdelegation.scope.ScopeRejectedException when the user's values cannot go into the
     *         assertion (see {@link SamlAssertionFactory#create})
     */
    @Override
    public IssuedCredentials issue(CredentialRequest request) {
        String provider = request.role().samlProviderArn().orElseThrow(() -> new RoleDeniedException("role "
                + request.role().roleArn() + " is assumed with SAML but has no IAM SAML provider as principal; set its "
                + "principal to arn:...:saml-provider/<name>"));
        SamlResponse response = assertions.create(request.identity(), List.of(request.role()), request.sessionName(),
                request.duration(), request.scope());
        AssumeRoleWithSamlRequest call = AssumeRoleWithSamlRequest.builder()
                .roleArn(request.role().roleArn())
                .principalArn(provider)
                .samlAssertion(response.encoded())
                .durationSeconds((int) request.duration().toSeconds())
                .policy(request.sessionPolicy())
                .policyArns(StsCalls.policyArns(request.scope()))
                .build();
        AssumeRoleWithSamlResponse answer = sts.call(request, ADVICE, client -> client.assumeRoleWithSAML(call));
        return StsCalls.issued(answer.credentials(), answer.assumedRoleUser(), answer.sourceIdentity(), answer,
                request.role().roleArn());
    }

    @Override
    public void close() {
        sts.close();
    }
}

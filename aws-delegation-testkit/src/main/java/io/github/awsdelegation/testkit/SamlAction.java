package io.github.awsdelegation.testkit;

/**
 * STS AssumeRoleWithSAML as an {@link AssumeRoleFlow.Action}: the proof is a SAML response of the IAM SAML provider
 * named by {@code PrincipalArn}, verified by {@link SamlAssertionVerifier}, which also names the session
 * ({@code RoleSessionName}) and may bound its duration; the answer adds {@code Audience}, {@code Issuer},
 * {@code NameQualifier}, {@code Subject} and {@code SubjectType}.
 */
final class SamlAction implements AssumeRoleFlow.Action<SamlAssertionVerifier.VerifiedAssertion> {

    private final SamlAssertionVerifier verifier;

    SamlAction(SamlAssertionVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public String name() {
        return "AssumeRoleWithSAML";
    }

    @Override
    public void constrain(StsRequest request, StsRequest.Constraints constraints) {
        constraints.required("principalArn", request.single("PrincipalArn"), 20, 2048, false)
                .required("sAMLAssertion", request.single("SAMLAssertion"), 4, 100000, true);
    }

    @Override
    public SamlAssertionVerifier.VerifiedAssertion verify(StsRequest request) {
        return verifier.verify(request.single("SAMLAssertion"), request.roleArn(), request.single("PrincipalArn"));
    }

    @Override
    public void answerHead(SamlAssertionVerifier.VerifiedAssertion assertion, StsXml xml) {
        xml.element("    ", "Audience", assertion.recipient());
    }

    @Override
    public void answerTail(SamlAssertionVerifier.VerifiedAssertion assertion, StsXml xml) {
        xml.element("    ", "Issuer", assertion.issuer())
                .element("    ", "NameQualifier", assertion.nameQualifier())
                .element("    ", "Subject", assertion.subject())
                .element("    ", "SubjectType", assertion.subjectType());
    }
}

package io.github.awsdelegation.testkit;

import io.github.awsdelegation.testkit.internal.StsError;

/**
 * The three {@code AssumeRole*} actions of {@link LocalSts} as configurations of {@link AssumeRoleFlow}: the members
 * each takes beyond the shared ones, the verifier of its proof, and what its answer adds.
 */
final class StsActions {

    private static final String INDENT = "    ";

    private StsActions() {
    }

    /**
     * STS AssumeRoleWithWebIdentity: an OIDC ID token of a registered provider ({@link WebIdentityTokenVerifier});
     * the answer adds {@code SubjectFromWebIdentityToken}, {@code Audience} and {@code Provider}.
     */
    static AssumeRoleFlow.Action<WebIdentityTokenVerifier.VerifiedToken> webIdentity(WebIdentityTokenVerifier verifier) {
        return new AssumeRoleFlow.Action<>("AssumeRoleWithWebIdentity",
                (request, constraints) -> constraints.sessionName("roleSessionName", request.roleSessionName(), true)
                        .required("webIdentityToken", request.single("WebIdentityToken"), 4, 20000, true)
                        .length("providerId", request.single("ProviderId"), 4, 2048, false),
                request -> {
                    if (request.single("ProviderId") != null) {
                        throw StsError.validation("LocalSts accepts OpenID Connect ID tokens only; ProviderId is for"
                                + " OAuth 2.0 access tokens of www.amazon.com or graph.facebook.com: leave it out.");
                    }
                    return verifier.verify(request.single("WebIdentityToken"));
                },
                (token, xml) -> xml.element(INDENT, "SubjectFromWebIdentityToken", token.subject())
                        .element(INDENT, "Audience", token.audience()),
                (token, xml) -> xml.element(INDENT, "Provider", token.provider().arn()));
    }

    /**
     * STS AssumeRoleWithSAML: a SAML response of the IAM SAML provider named by {@code PrincipalArn}
     * ({@link SamlAssertionVerifier}), which also names the session and may bound its duration; the answer adds
     * {@code Audience}, {@code Issuer}, {@code NameQualifier}, {@code Subject} and {@code SubjectType}.
     */
    static AssumeRoleFlow.Action<SamlAssertionVerifier.VerifiedAssertion> saml(SamlAssertionVerifier verifier) {
        return new AssumeRoleFlow.Action<>("AssumeRoleWithSAML",
                (request, constraints) -> constraints
                        .required("principalArn", request.single("PrincipalArn"), 20, 2048, false)
                        .required("sAMLAssertion", request.single("SAMLAssertion"), 4, 100000, true),
                request -> verifier.verify(request.single("SAMLAssertion"), request.roleArn(),
                        request.single("PrincipalArn")),
                (assertion, xml) -> xml.element(INDENT, "Audience", assertion.recipient()),
                (assertion, xml) -> xml.element(INDENT, "Issuer", assertion.issuer())
                        .element(INDENT, "NameQualifier", assertion.nameQualifier())
                        .element(INDENT, "Subject", assertion.subject())
                        .element(INDENT, "SubjectType", assertion.subjectType()));
    }

    /**
     * STS AssumeRole: a SigV4-signed caller ({@link SignedCallerVerifier}) with optional {@code Tags},
     * {@code TransitiveTagKeys} and {@code SourceIdentity}; the answer adds nothing.
     */
    static AssumeRoleFlow.Action<SignedCallerVerifier.Caller> assumeRole(SignedCallerVerifier verifier) {
        return new AssumeRoleFlow.Action<>("AssumeRole",
                (request, constraints) -> constraints.sessionName("roleSessionName", request.roleSessionName(), true)
                        .tagsAndSourceIdentity(request.tags(), request.sourceIdentity()),
                verifier::verify,
                (caller, xml) -> {
                },
                (caller, xml) -> {
                });
    }
}

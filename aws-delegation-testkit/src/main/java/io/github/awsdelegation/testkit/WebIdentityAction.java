package io.github.awsdelegation.testkit;

import io.github.awsdelegation.testkit.internal.StsError;

/**
 * STS AssumeRoleWithWebIdentity as an {@link AssumeRoleFlow.Action}: the proof is an OIDC ID token of a registered
 * provider, verified by {@link WebIdentityTokenVerifier}; the answer adds {@code SubjectFromWebIdentityToken},
 * {@code Audience} and {@code Provider}.
 */
final class WebIdentityAction implements AssumeRoleFlow.Action<WebIdentityTokenVerifier.VerifiedToken> {

    private final WebIdentityTokenVerifier verifier;

    WebIdentityAction(WebIdentityTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public String name() {
        return "AssumeRoleWithWebIdentity";
    }

    @Override
    public void constrain(StsRequest request, StsRequest.Constraints constraints) {
        constraints.sessionName("roleSessionName", request.roleSessionName(), true)
                .required("webIdentityToken", request.single("WebIdentityToken"), 4, 20000, true)
                .length("providerId", request.single("ProviderId"), 4, 2048, false);
    }

    @Override
    public WebIdentityTokenVerifier.VerifiedToken verify(StsRequest request) {
        if (request.single("ProviderId") != null) {
            throw StsError.validation("LocalSts accepts OpenID Connect ID tokens only; ProviderId is for OAuth 2.0"
                    + " access tokens of www.amazon.com or graph.facebook.com: leave it out.");
        }
        return verifier.verify(request.single("WebIdentityToken"));
    }

    @Override
    public void answerHead(WebIdentityTokenVerifier.VerifiedToken token, StsXml xml) {
        xml.element("    ", "SubjectFromWebIdentityToken", token.subject())
                .element("    ", "Audience", token.audience());
    }

    @Override
    public void answerTail(WebIdentityTokenVerifier.VerifiedToken token, StsXml xml) {
        xml.element("    ", "Provider", token.provider().arn());
    }
}

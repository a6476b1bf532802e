package io.github.awsdelegation.testkit;

import io.github.awsdelegation.testkit.internal.SigV4Verifier;
import io.github.awsdelegation.testkit.internal.StsError;
import io.github.awsdelegation.testkit.internal.TrustPolicyEvaluator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies the proof of STS AssumeRole: a request signed (SigV4) with an access key registered with
 * {@link LocalSts#addAccessKey} (an IAM user) or with credentials the STS issued (role chaining), whose trust-policy
 * principals are the caller's ARN, its role's ARN, its account's {@code :root} ARN and the account id. A chained
 * session keeps the caller's transitive session tags and source identity and lasts at most 1 hour.
 */
record SignedCallerVerifier(LocalSts sts) {

    /**
     * The authenticated caller and the session it asks for.
     *
     * @param arn the caller's user or assumed-role ARN
     * @param principals the ARNs a trust policy's {@code Principal.AWS} may name to match the caller
     * @param chainedFrom the caller's own session when it is a role session, else null
     * @param requestTags the request's {@code Tags}
     * @param tags the session's tags: the request's and the caller's transitive ones
     * @param transitiveTagKeys the session's transitive tag keys
     * @param requestSourceIdentity the request's {@code SourceIdentity}, or null
     * @param sourceIdentity the session's source identity: the caller's, else the request's
     */
    record Caller(String arn, List<String> principals, IssuedSession chainedFrom, Map<String, String> requestTags,
            Map<String, String> tags, List<String> transitiveTagKeys, String requestSourceIdentity, String sourceIdentity)
            implements AssumeRoleFlow.Proof {

        @Override
        public String who() {
            return arn;
        }

        @Override
        public String subject() {
            return null;
        }

        @Override
        public String providerArn() {
            return null;
        }

        @Override
        public String audience() {
            return null;
        }

        @Override
        public TrustPolicyEvaluator.Request trustRequest(String action) {
            return new TrustPolicyEvaluator.Request(null, action, Map.of(), principals);
        }

        @Override
        public String notAuthorized(String action, String roleArn) {
            return "User: " + arn + " is not authorized to perform: " + action + " on resource: " + roleArn;
        }

        @Override
        public boolean setsTags() {
            return !requestTags.isEmpty();
        }

        @Override
        public boolean setsSourceIdentity() {
            return requestSourceIdentity != null;
        }

        @Override
        public boolean chained() {
            return chainedFrom != null;
        }
    }

    Caller verify(StsRequest request) {
        Map<String, String> requestTags = request.tags();
        List<String> transitive = new ArrayList<>(request.transitiveTagKeys());
        for (String key : transitive) {
            if (!requestTags.containsKey(key)) {
                throw StsError.validation("Transitive tag key " + key + " is not one of the session tags.");
            }
        }
        SigV4Verifier.Authorization authorization = SigV4Verifier.parse(request.header("Authorization"));
        String accountRoot = "arn:aws:iam::" + sts.accountId() + ":root";
        LocalSts.AccessKey key = sts.accessKey(authorization.accessKeyId()).orElse(null);
        String sourceIdentity = request.sourceIdentity();
        if (key != null) {
            SigV4Verifier.verify(authorization, key.secretAccessKey(), request.exchange.getRequestMethod(),
                    request.exchange.getRequestURI(), name -> request.exchange.getRequestHeaders().get(name), request.body,
                    "sts");
            return new Caller(key.principalArn(), List.of(key.principalArn(), accountRoot, sts.accountId()), null,
                    requestTags, requestTags, transitive, sourceIdentity, sourceIdentity);
        }
        IssuedSession session = authenticateSession(sts, request, authorization);
        // Transitive tags and the source identity of a chained session carry over and cannot be changed.
        Map<String, String> tags = new LinkedHashMap<>(requestTags);
        for (String inherited : session.transitiveTagKeys()) {
            String value = session.sessionTags().get(inherited);
            if (requestTags.containsKey(inherited) && !requestTags.get(inherited).equals(value)) {
                throw StsError.accessDenied("Cannot change the value of transitive session tag " + inherited);
            }
            tags.put(inherited, value);
            if (!transitive.contains(inherited)) {
                transitive.add(inherited);
            }
        }
        String inheritedSource = session.sourceIdentity();
        if (inheritedSource != null && sourceIdentity != null && !inheritedSource.equals(sourceIdentity)) {
            throw StsError.accessDenied("Cannot change the source identity of a role chain");
        }
        return new Caller(session.assumedRoleArn(), List.of(session.roleArn(), session.assumedRoleArn(), accountRoot,
                sts.accountId()), session, requestTags, tags, transitive, sourceIdentity,
                inheritedSource != null ? inheritedSource : sourceIdentity);
    }

    /**
     * Authenticates a request signed with credentials this STS issued: the access key id must be a session's, the
     * {@code X-Amz-Security-Token} its token, the SigV4 signature made with its secret, and the session not expired.
     *
     * @throws StsError {@code InvalidClientTokenId} or {@code ExpiredToken} (403), or a signature error
     */
    static IssuedSession authenticateSession(LocalSts sts, StsRequest request, SigV4Verifier.Authorization authorization) {
        IssuedSession session = sts.session(authorization.accessKeyId()).orElseThrow(() -> new StsError(
                "InvalidClientTokenId", 403, "The security token included in the request is invalid."));
        String token = request.header("X-Amz-Security-Token");
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                session.sessionToken().getBytes(StandardCharsets.UTF_8))) {
            throw new StsError("InvalidClientTokenId", 403, "The security token included in the request is invalid.");
        }
        SigV4Verifier.verify(authorization, session.secretAccessKey(), request.exchange.getRequestMethod(),
                request.exchange.getRequestURI(), name -> request.exchange.getRequestHeaders().get(name), request.body, "sts");
        if (session.isExpiredAt(sts.clock().instant())) {
            throw new StsError("ExpiredToken", 403, "The security token included in the request is expired");
        }
        return session;
    }
}

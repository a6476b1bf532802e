package io.github.awsdelegation.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import io.github.awsdelegation.testkit.IssuedSession;
import io.github.awsdelegation.testkit.LocalRole;
import io.github.awsdelegation.testkit.LocalSts;
import io.github.awsdelegation.testkit.iam.PolicyEvaluator;
import io.github.awsdelegation.testkit.iam.SessionContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the local S3 and the local API Gateway share: authenticating a request signed (SigV4) with credentials the
 * local STS issued, and authorising it with the session's role policies intersected with its session policies.
 * Failures are {@link StsError}s carrying a neutral code; each service renders them in its own error shape.
 */
public final class SessionRequests {

    /** The code of a request without an {@code Authorization} header. */
    public static final String MISSING_AUTHENTICATION = "MissingAuthenticationToken";
    /** The code of an unknown access key id. */
    public static final String UNKNOWN_ACCESS_KEY = "InvalidAccessKeyId";
    /** The code of a missing or wrong session token. */
    public static final String INVALID_TOKEN = "InvalidToken";
    /** The code of expired credentials. */
    public static final String EXPIRED_TOKEN = "ExpiredToken";

    private SessionRequests() {
    }

    /**
     * A request whose signature verified.
     *
     * @param session the session whose credentials signed it
     * @param payload the request body, decoded when it was {@code aws-chunked}
     */
    public record Authenticated(IssuedSession session, byte[] payload) {
    }

    /**
     * Authenticates a request: the access key must belong to a session of {@code sts}, the
     * {@code X-Amz-Security-Token} must be that session's token, the signature must verify for {@code service},
     * and the session must not have expired by the STS clock.
     *
     * @throws StsError with one of this class's codes, or {@code SignatureDoesNotMatch} / {@code IncompleteSignature}
     */
    public static Authenticated authenticate(LocalSts sts, HttpExchange exchange, byte[] body, String service, boolean s3) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || header.isBlank()) {
            throw new StsError(MISSING_AUTHENTICATION, 403, "Missing Authentication Token");
        }
        SigV4Verifier.Authorization authorization = SigV4Verifier.parse(header);
        Optional<IssuedSession> found = sts.session(authorization.accessKeyId());
        if (found.isEmpty()) {
            throw new StsError(UNKNOWN_ACCESS_KEY, 403, "The AWS Access Key Id you provided does not exist in our records.");
        }
        IssuedSession session = found.get();
        String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                session.sessionToken().getBytes(StandardCharsets.UTF_8))) {
            throw new StsError(INVALID_TOKEN, 403, "The security token included in the request is invalid.");
        }
        SigV4Verifier.verify(authorization, session.secretAccessKey(), exchange.getRequestMethod(),
                exchange.getRequestURI(), name -> exchange.getRequestHeaders().get(name), body, service, s3);
        if (session.isExpiredAt(sts.clock().instant())) {
            throw new StsError(EXPIRED_TOKEN, 403, "The security token included in the request is expired");
        }
        String contentSha256 = exchange.getRequestHeaders().getFirst("x-amz-content-sha256");
        byte[] payload = s3 && AwsChunkedPayload.isChunked(contentSha256)
                ? AwsChunkedPayload.decode(body, contentSha256, authorization, session.secretAccessKey(),
                        exchange.getRequestHeaders().getFirst("x-amz-date"))
                : body;
        return new Authenticated(session, payload);
    }

    /**
     * Authorises an action on a resource for a session: its role's permission policy intersected with its session
     * policies (the inline policy and the managed policies of its ARNs, which {@code sts} must know).
     *
     * @param extraContext service-specific condition keys, such as {@code s3:prefix}
     */
    public static PolicyEvaluator.Decision authorize(LocalSts sts, IssuedSession session, String action, String resource,
            Map<String, String> extraContext) {
        LocalRole role = sts.role(session.roleArn()).orElse(null);
        if (role == null) {
            return new PolicyEvaluator.Decision(PolicyEvaluator.Outcome.IMPLICIT_DENY, "the role " + session.roleArn()
                    + " no longer exists");
        }
        List<String> sessionPolicies = new ArrayList<>();
        if (session.sessionPolicy() != null) {
            sessionPolicies.add(session.sessionPolicy());
        }
        for (String arn : session.policyArns()) {
            Optional<String> managed = sts.managedPolicy(arn);
            if (managed.isEmpty()) {
                return new PolicyEvaluator.Decision(PolicyEvaluator.Outcome.UNSUPPORTED, "managed policy " + arn
                        + " of the session is unknown to LocalSts (register it with LocalStsBuilder.managedPolicy);"
                        + " it fails closed");
            }
            sessionPolicies.add(managed.get());
        }
        Map<String, String> context = SessionContext.of(session);
        context.putAll(extraContext);
        return PolicyEvaluator.evaluate(new PolicyEvaluator.Request(action, resource, context),
                role.permissionPolicy().map(List::of).orElse(List.of()), sessionPolicies);
    }
}

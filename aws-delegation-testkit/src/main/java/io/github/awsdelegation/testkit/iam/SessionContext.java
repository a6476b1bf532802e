package io.github.awsdelegation.testkit.iam;

import io.github.awsdelegation.testkit.IssuedSession;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the IAM request context of a request made with a session's credentials: the global condition keys and
 * policy variables IAM derives from an assumed-role session (IAM User Guide, "AWS global condition context keys"
 * and "IAM policy elements: Variables and tags").
 *
 * <ul>
 *   <li>{@code aws:userid} = the assumed-role id ({@code AROA...:<session name>}), {@code aws:PrincipalArn} = the
 *       role ARN, {@code aws:PrincipalAccount}, {@code aws:PrincipalType} = {@code AssumedRole};</li>
 *   <li>{@code aws:PrincipalTag/<key>} for each session tag, {@code aws:SourceIdentity} when set;</li>
 *   <li>web identity: {@code aws:FederatedProvider}, {@code <provider>:sub}, {@code <provider>:aud}, where
 *       {@code <provider>} is the provider's IAM id (issuer host, port and path);</li>
 *   <li>SAML (a provider ARN with {@code :saml-provider/}): {@code saml:sub} = the NameID, {@code saml:aud}.</li>
 * </ul>
 * The result is a plain map, so another kind of session (or a test) can add or replace keys before evaluation.
 */
public final class SessionContext {

    private SessionContext() {
    }

    /** Returns the request context of a session; a service adds its own keys (such as {@code s3:prefix}). */
    public static Map<String, String> of(IssuedSession session) {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("aws:userid", session.assumedRoleId());
        context.put("aws:PrincipalArn", session.roleArn());
        context.put("aws:PrincipalAccount", session.roleArn().split(":")[4]);
        context.put("aws:PrincipalType", "AssumedRole");
        context.put("aws:SecureTransport", "false");
        session.sessionTags().forEach((key, value) -> context.put("aws:PrincipalTag/" + key, value));
        if (session.sourceIdentity() != null) {
            context.put("aws:SourceIdentity", session.sourceIdentity());
        }
        String provider = session.provider();
        if (provider != null) {
            context.put("aws:FederatedProvider", provider);
            int saml = provider.indexOf(":saml-provider/");
            int oidc = provider.indexOf(":oidc-provider/");
            if (saml >= 0) {
                putIfPresent(context, "saml:sub", session.subject());
                putIfPresent(context, "saml:aud", session.audience());
            } else if (oidc >= 0) {
                String id = provider.substring(oidc + ":oidc-provider/".length());
                putIfPresent(context, id + ":sub", session.subject());
                putIfPresent(context, id + ":aud", session.audience());
            }
        }
        return context;
    }

    private static void putIfPresent(Map<String, String> context, String key, String value) {
        if (value != null) {
            context.put(key, value);
        }
    }
}

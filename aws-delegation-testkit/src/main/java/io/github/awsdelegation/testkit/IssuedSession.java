package io.github.awsdelegation.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Temporary credentials {@link LocalSts} issued, with what they were issued for: the state a later local S3 or
 * API Gateway needs to authenticate and authorize requests signed with them. {@link #toString()} leaves out the
 * secret access key and the session token.
 *
 * @param accessKeyId the access key id, {@code ASIA...} (20 characters)
 * @param secretAccessKey the secret access key (40 characters)
 * @param sessionToken the session token
 * @param roleArn the role assumed
 * @param roleSessionName the role session name
 * @param assumedRoleArn {@code arn:aws:sts::<account>:assumed-role/<role name>/<session name>}
 * @param assumedRoleId {@code AROA...:<session name>}
 * @param issuedAt when they were issued, by the STS clock
 * @param expiration when they expire
 * @param sessionPolicy the inline session policy, or null
 * @param policyArns the managed session policy ARNs
 * @param subject the web identity token's {@code sub}
 * @param provider the OIDC provider ARN the token came through
 * @param audience the audience that matched the provider's client ids
 * @param sessionTags the session tags from the token's {@code https://aws.amazon.com/tags} claim
 * @param transitiveTagKeys the transitive tag keys from that claim
 * @param sourceIdentity the source identity from the {@code https://aws.amazon.com/source_identity} claim, or null
 */
public record IssuedSession(String accessKeyId, String secretAccessKey, String sessionToken, String roleArn,
        String roleSessionName, String assumedRoleArn, String assumedRoleId, Instant issuedAt, Instant expiration,
        String sessionPolicy, List<String> policyArns, String subject, String provider, String audience,
        Map<String, String> sessionTags, List<String> transitiveTagKeys, String sourceIdentity) {

    /** Copies the collections. */
    public IssuedSession {
        policyArns = List.copyOf(policyArns);
        sessionTags = Map.copyOf(sessionTags);
        transitiveTagKeys = List.copyOf(transitiveTagKeys);
    }

    /** Returns whether the credentials have expired at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiration);
    }

    /** Describes the session without the secret access key or the session token. */
    @Override
    public String toString() {
        return "IssuedSession[accessKeyId=" + accessKeyId + ", assumedRoleArn=" + assumedRoleArn + ", subject=" + subject
                + ", expiration=" + expiration + ", sessionPolicy=" + (sessionPolicy != null) + ", policyArns=" + policyArns
                + ", sessionTags=" + sessionTags + ", sourceIdentity=" + sourceIdentity + "]";
    }
}

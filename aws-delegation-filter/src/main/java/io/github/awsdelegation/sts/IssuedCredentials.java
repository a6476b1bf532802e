package io.github.awsdelegation.sts;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Temporary credentials STS issued for one user and role.
 *
 * <p>{@link #toString()} shows the access key id and the assumed role, never the secret key or session
 * token.
 */
public final class IssuedCredentials {

    private final AwsSessionCredentials credentials;
    private final Instant expiration;
    private final String roleArn;
    private final String assumedRoleArn;
    private final String assumedRoleId;
    private final String sourceIdentity;
    private final String stsRequestId;

    /**
     * Creates the value.
     *
     * @param credentials    the session credentials (their expiration time is set to {@code expiration})
     * @param expiration     when STS says they expire
     * @param roleArn        the role that was assumed
     * @param assumedRoleArn the assumed-role ARN STS returned, e.g. {@code arn:aws:sts::123456789012:assumed-role/buyer/auth0-42}
     * @param assumedRoleId  the assumed-role id STS returned, e.g. {@code AROA...:auth0-42}
     */
    public IssuedCredentials(AwsSessionCredentials credentials, Instant expiration, String roleArn,
            String assumedRoleArn, String assumedRoleId) {
        this(credentials, expiration, roleArn, assumedRoleArn, assumedRoleId, null, null);
    }

    /**
     * Creates the value with what CloudTrail records of the call.
     *
     * @param credentials    the session credentials (their expiration time is set to {@code expiration})
     * @param expiration     when STS says they expire
     * @param roleArn        the role that was assumed
     * @param assumedRoleArn the assumed-role ARN STS returned
     * @param assumedRoleId  the assumed-role id STS returned
     * @param sourceIdentity the source identity STS returned, or {@code null} when the session has none
     * @param stsRequestId   the request id STS answered ({@code x-amzn-RequestId}), or {@code null} when unknown
     */
    public IssuedCredentials(AwsSessionCredentials credentials, Instant expiration, String roleArn,
            String assumedRoleArn, String assumedRoleId, String sourceIdentity, String stsRequestId) {
        this.sourceIdentity = sourceIdentity;
        this.stsRequestId = stsRequestId;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.expiration = Objects.requireNonNull(expiration, "expiration");
        this.roleArn = Objects.requireNonNull(roleArn, "roleArn");
        this.assumedRoleArn = assumedRoleArn;
        this.assumedRoleId = assumedRoleId;
    }

    /** Returns the credentials, ready for any AWS SDK v2 client. */
    public AwsSessionCredentials credentials() {
        return credentials;
    }

    /** Returns when the credentials expire. */
    public Instant expiration() {
        return expiration;
    }

    /** Returns how long the credentials remain valid at {@code now}; negative once expired. */
    public Duration remainingAt(Instant now) {
        return Duration.between(now, expiration);
    }

    /** Returns the ARN of the role that was assumed. */
    public String roleArn() {
        return roleArn;
    }

    /** Returns the assumed-role ARN, the identity AWS sees and CloudTrail records. */
    public String assumedRoleArn() {
        return assumedRoleArn;
    }

    /** Returns the assumed-role id ({@code AROA...:session}), as {@code aws:userid} in IAM policies. */
    public String assumedRoleId() {
        return assumedRoleId;
    }

    /** Returns the source identity STS returned, or {@code null} when the session has none. */
    public String sourceIdentity() {
        return sourceIdentity;
    }

    /**
     * Returns the request id STS answered ({@code x-amzn-RequestId}): the {@code requestID} of the {@code AssumeRole*}
     * event CloudTrail records; {@code null} when unknown (credentials not from STS).
     */
    public String stsRequestId() {
        return stsRequestId;
    }

    @Override
    public String toString() {
        return "IssuedCredentials[accessKeyId=" + credentials.accessKeyId() + ", assumedRoleArn=" + assumedRoleArn
                + ", expiration=" + expiration + ", stsRequestId=" + stsRequestId + "]";
    }
}

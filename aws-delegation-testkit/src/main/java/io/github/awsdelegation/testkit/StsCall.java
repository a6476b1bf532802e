package io.github.awsdelegation.testkit;

import java.time.Instant;
import java.util.List;

/**
 * One call {@link LocalSts} answered, as a test observes it. It never holds the web identity token, a secret key
 * or a session token.
 *
 * @param time when the call arrived, by the STS clock
 * @param action the {@code Action} parameter, e.g. {@code AssumeRoleWithWebIdentity}; null when missing
 * @param roleArn the {@code RoleArn} parameter, or for {@code GetCallerIdentity} the role of the calling session;
 *     null when absent
 * @param roleSessionName the {@code RoleSessionName} parameter (or the calling session's name); null when absent
 * @param durationSeconds the {@code DurationSeconds} parameter; null when absent
 * @param policy the {@code Policy} parameter (the session policy); null when absent
 * @param policyArns the {@code PolicyArns.member.N.arn} parameters
 * @param subject the verified {@code sub} of the web identity token, or null when not (yet) verified
 * @param accessKeyId the access key id issued, or for {@code GetCallerIdentity} the one used; null otherwise
 * @param outcome {@link #SUCCESS} or the error code answered, e.g. {@code AccessDenied}
 * @param httpStatus the HTTP status answered
 * @param requestId the request id answered ({@code x-amzn-RequestId} and {@code RequestId} in the body), as the
 *     {@code requestID} CloudTrail records
 */
public record StsCall(Instant time, String action, String roleArn, String roleSessionName, Integer durationSeconds,
        String policy, List<String> policyArns, String subject, String accessKeyId, String outcome, int httpStatus,
        String requestId) {

    /** The {@link #outcome()} of a call that succeeded. */
    public static final String SUCCESS = "Success";

    /** Copies the list. */
    public StsCall {
        policyArns = List.copyOf(policyArns);
    }

    /** Creates a record without a request id. */
    public StsCall(Instant time, String action, String roleArn, String roleSessionName, Integer durationSeconds,
            String policy, List<String> policyArns, String subject, String accessKeyId, String outcome, int httpStatus) {
        this(time, action, roleArn, roleSessionName, durationSeconds, policy, policyArns, subject, accessKeyId, outcome,
                httpStatus, null);
    }

    /** Returns whether the call succeeded. */
    public boolean succeeded() {
        return SUCCESS.equals(outcome);
    }
}

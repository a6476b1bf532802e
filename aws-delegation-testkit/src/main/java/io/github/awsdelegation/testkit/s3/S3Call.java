package io.github.awsdelegation.testkit.s3;

import java.time.Instant;

/**
 * One request {@link LocalS3} answered, as a test observes it. It never holds a secret key or a session token.
 *
 * @param time        when it arrived
 * @param operation   the S3 operation, e.g. {@code PutObject}
 * @param bucket      the bucket, or null
 * @param key         the object key, or null
 * @param principal   the assumed-role ARN that signed it, or null when it was not authenticated
 * @param httpStatus  the HTTP status answered
 * @param errorCode   the S3 error code answered, or null on success
 * @param reason      why it was allowed or refused (the deciding statement, or the unsupported policy element)
 */
public record S3Call(Instant time, String operation, String bucket, String key, String principal, int httpStatus,
        String errorCode, String reason) {

    /** Returns whether the request succeeded. */
    public boolean succeeded() {
        return errorCode == null;
    }
}

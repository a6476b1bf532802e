package io.github.awsdelegation.interop;

/** The role permission policies both targets get, as compact JSON (Ceph RGW parses nothing else reliably). */
final class Policies {

    /** {@code s3:*} on the interop bucket; the module's session policy narrows it per user. */
    static final String SCOPED = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
            + "\"Resource\":[\"arn:aws:s3:::" + InteropTarget.BUCKET + "\",\"arn:aws:s3:::" + InteropTarget.BUCKET + "/*\"]}]}";

    /** Objects under {@code teams/} of the interop bucket, for sessions tagged {@code team=blue} only. */
    static final String TEAM = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::" + InteropTarget.BUCKET + "/teams/*\","
            + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"blue\"}}}]}";

    /** The session policy template the module renders per user: the user's own folder only. */
    static final String OWN_FOLDER_TEMPLATE = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\"],"
            + "\"Resource\":\"arn:aws:s3:::" + InteropTarget.BUCKET + "/${sub}/*\"},"
            + "{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::" + InteropTarget.BUCKET + "\","
            + "\"Condition\":{\"StringLike\":{\"s3:prefix\":\"${sub}/*\"}}}]}";

    private Policies() {
    }
}

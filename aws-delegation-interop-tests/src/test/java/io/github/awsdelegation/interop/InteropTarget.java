package io.github.awsdelegation.interop;

import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.net.URI;

/**
 * An STS + S3 the interop scenarios run against, set up with the same buckets and roles: the testkit's local AWS, or
 * Ceph RGW. Each implementation creates, in its own way (testkit builders, IAM API calls):
 * <ul>
 *   <li>buckets {@link #BUCKET} and {@link #OTHER_BUCKET};</li>
 *   <li>{@link #scopedRoleArn()}: trusts the identity provider (web identity, client {@link #CLIENT_ID}); may do
 *       {@code s3:*} on {@link #BUCKET} — the module's session policy narrows it per user;</li>
 *   <li>{@link #teamRoleArn()}: trusts the identity provider, with {@code sts:TagSession}; may get and put objects
 *       under {@code BUCKET/teams/} only when {@code aws:PrincipalTag/team} is {@code blue};</li>
 *   <li>{@link #appRoleArn()}: trusts the app's own principal for STS AssumeRole; may do {@code s3:*} on
 *       {@link #BUCKET}.</li>
 * </ul>
 */
interface InteropTarget extends AutoCloseable {

    /** The bucket the roles are about. */
    String BUCKET = "interop-pets";
    /** A bucket no role may use. */
    String OTHER_BUCKET = "interop-other";
    /** The OIDC client id the roles trust. */
    String CLIENT_ID = "pet-shop";

    /** Returns a short name for test reports. */
    String name();

    /** Returns the identity provider the roles trust. */
    LocalIdentityProvider identityProvider();

    /** Returns the STS endpoint. */
    URI stsEndpoint();

    /** Returns the S3 endpoint (path style). */
    URI s3Endpoint();

    /** Returns the web identity role that the module's session policy narrows. */
    String scopedRoleArn();

    /** Returns the web identity role with a PrincipalTag condition. */
    String teamRoleArn();

    /** Returns the role the app assumes with its own credentials. */
    String appRoleArn();

    /** Returns the app's own access key id (for STS AssumeRole). */
    String appAccessKeyId();

    /** Returns the app's own secret access key. */
    String appSecretAccessKey();

    /** Stores an object as the account owner, bypassing the roles. */
    void seed(String bucket, String key, String content);

    /** Stops what the target started. */
    @Override
    void close();
}

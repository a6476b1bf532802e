/**
 * A local Amazon S3: {@link io.github.awsdelegation.testkit.s3.LocalS3} stores buckets and objects in memory and
 * authenticates (SigV4) and authorises (IAM, role ∩ session policy) every request made with credentials the local
 * STS issued.
 */
package io.github.awsdelegation.testkit.s3;

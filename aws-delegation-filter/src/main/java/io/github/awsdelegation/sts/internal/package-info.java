/**
 * The STS plumbing the {@code AssumeRole*} sources share: regional clients (anonymous, or signed with the app's
 * credentials for AssumeRole) on one connection pool, and the translation of STS's answers by meaning; the choice of
 * a role's source ({@link io.github.awsdelegation.sts.internal.PerRoleCredentialSource}), the one retry when a
 * duration exceeds a role's maximum, and the partitions' endpoints.
 * Not part of the module's API; it may change without notice.
 */
package io.github.awsdelegation.sts.internal;

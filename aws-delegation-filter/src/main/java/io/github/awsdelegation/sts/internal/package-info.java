/**
 * The STS plumbing the {@code AssumeRoleWith*} issuers share: regional anonymous clients on one connection
 * pool and the translation of STS's answers. Not part of the module's API; it may change without notice.
 */
package io.github.awsdelegation.sts.internal;

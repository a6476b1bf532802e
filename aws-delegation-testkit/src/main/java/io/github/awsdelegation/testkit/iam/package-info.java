/**
 * The testkit's IAM policy evaluation: {@link io.github.awsdelegation.testkit.iam.PolicyEvaluator} decides a
 * request against a role's permission policies intersected with a session policy, in a documented subset of IAM
 * that fails closed outside it, and {@link io.github.awsdelegation.testkit.iam.SessionContext} derives the
 * request context (policy variables and condition keys) of an issued session. The local S3 and the local API
 * Gateway use both.
 */
package io.github.awsdelegation.testkit.iam;

/**
 * Local stand-ins for the services aws-delegation talks to, for tests and the sample: a real OpenID Connect
 * provider shaped like Auth0 ({@link io.github.awsdelegation.testkit.LocalIdentityProvider}), a local AWS STS
 * speaking the real Query protocol ({@link io.github.awsdelegation.testkit.LocalSts}), a local S3
 * ({@link io.github.awsdelegation.testkit.s3.LocalS3}) and API Gateway ({@link io.github.awsdelegation.testkit.apigateway.LocalPetsApi})
 * that enforce IAM policies ({@link io.github.awsdelegation.testkit.iam.PolicyEvaluator}), all together
 * ({@link io.github.awsdelegation.testkit.LocalAws}), a JUnit 5 extension
 * ({@link io.github.awsdelegation.testkit.LocalAwsExtension}) and a main
 * ({@link io.github.awsdelegation.testkit.LocalAwsMain}). Everything binds 127.0.0.1 only.
 */
package io.github.awsdelegation.testkit;

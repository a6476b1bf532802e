/**
 * The filter's HTTP plumbing: the endpoints it routes ({@link io.github.awsdelegation.servlet.internal.Endpoint},
 * {@link io.github.awsdelegation.servlet.internal.Endpoints}), the authenticator stage
 * ({@link io.github.awsdelegation.servlet.internal.Authenticator}) and the one place an outcome becomes an HTTP answer
 * ({@link io.github.awsdelegation.servlet.internal.Answers}). Not API: public only for the filter in the package
 * above; may change without notice.
 */
package io.github.awsdelegation.servlet.internal;

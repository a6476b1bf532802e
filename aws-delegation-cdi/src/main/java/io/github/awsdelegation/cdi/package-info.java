/**
 * CDI integration of aws-delegation: the current user's AWS credentials, identity and role decision, and
 * ready AWS clients, injected into servlets and beans; {@link io.github.awsdelegation.cdi.RequiresAwsRole};
 * {@link io.github.awsdelegation.DelegationEvent}s as CDI events; {@link io.github.awsdelegation.role.RoleRule}
 * beans that take part in decisions.
 *
 * <p>What can be injected:
 * <ul>
 * <li>{@link io.github.awsdelegation.cdi.CurrentDelegation} (application-scoped, answers for the current
 *     request: safe in servlets and singletons);</li>
 * <li>{@code AwsCredentialsProvider} ({@link io.github.awsdelegation.cdi.CurrentUserCredentialsProvider}),
 *     resolving the current user's credentials on every call;</li>
 * <li>{@code AwsSessionCredentials}, {@code VerifiedIdentity}, {@code RoleDecision}, {@code Delegation},
 *     {@code IssuedCredentials}: {@code @Dependent} values of the current request, for request-scoped
 *     beans (or through {@code Instance<T>}, per request);</li>
 * <li>{@code S3Client}: request-scoped, for the user's credentials and role region;</li>
 * <li>{@link io.github.awsdelegation.cdi.ExecuteApiClient}: SigV4-signed calls to API Gateway.</li>
 * </ul>
 * See {@code docs/cdi.md}.
 */
package io.github.awsdelegation.cdi;

/**
 * A local Amazon API Gateway: {@link io.github.awsdelegation.testkit.apigateway.LocalPetsApi} serves the pet shop's
 * REST API behind IAM authorisation ({@code execute-api:Invoke}) for credentials the local STS issued.
 */
package io.github.awsdelegation.testkit.apigateway;

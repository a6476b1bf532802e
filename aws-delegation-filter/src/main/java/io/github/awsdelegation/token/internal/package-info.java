/**
 * The parts of ID token validation that are not public API: the checks made before any cryptography,
 * key selection from the issuer's JWKS, one method per OIDC Core §3.1.3.7 claim rule, OIDC discovery,
 * the JWKS source wiring and the validated-token cache. Nothing here is meant to be used directly;
 * {@link io.github.awsdelegation.token.IdTokenValidator} assembles it.
 */
package io.github.awsdelegation.token.internal;

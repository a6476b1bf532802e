/**
 * OpenSAML 4 behind the module's own types: initialisation, rendering and signing of responses and
 * assertions, IdP metadata ({@link io.github.awsdelegation.sts.saml.internal.SamlMetadata}), the attribute names AWS
 * reads. Nothing outside {@code io.github.awsdelegation.sts.saml} uses OpenSAML, so it can
 * be replaced here alone. Not part of the module's API; it may change without notice.
 */
package io.github.awsdelegation.sts.saml.internal;

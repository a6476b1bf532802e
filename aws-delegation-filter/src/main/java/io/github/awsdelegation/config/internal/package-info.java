/**
 * How the YAML document becomes a {@link io.github.awsdelegation.config.DelegationConfig}; not API, may change
 * without notice.
 *
 * <p>SnakeYAML Engine loads the tree; {@link io.github.awsdelegation.config.internal.Interpolation} replaces the
 * {@code ${VARIABLES}} in one pass, guided by the model so that it keeps the per-user variables of the fields marked
 * {@link io.github.awsdelegation.config.internal.PerUserTemplate}; {@link io.github.awsdelegation.config.internal.YamlBinder}
 * binds the tree onto {@link io.github.awsdelegation.config.internal.Document} and the records it holds, each of which
 * checks itself and names the full key of a mistake. The records here are the document's shape where it differs from
 * the public settings (the {@code sts}, {@code saml}, {@code oidc.connection} and {@code rules} sections); they hold
 * no defaults of their own and make the public settings with the components' builders.
 */
package io.github.awsdelegation.config.internal;

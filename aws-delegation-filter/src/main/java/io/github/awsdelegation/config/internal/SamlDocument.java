package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.SamlEndpointSettings;
import io.github.awsdelegation.sts.internal.Partition;
import io.github.awsdelegation.sts.saml.SamlSettings;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.regions.Region;

/**
 * The {@code saml} section, as written: the identity provider this module acts as, and its endpoints.
 * {@link #get()} makes the {@link SamlSettings} (whose builder holds the defaults) and the
 * {@link SamlEndpointSettings}; every mistake is named by its key relative to the section.
 *
 * @param entityId          the entity ID, an absolute URI; required
 * @param keyStore          the signing key; required
 * @param assertionLifetime how long an assertion may be presented
 * @param signInRegion      the {@code aws} region of the regional sign-in endpoint
 * @param attributes        further SAML attributes to the sources of their values
 * @param principalTags     session tag keys to the sources of their values
 * @param transitiveTagKeys the tag keys that pass on through role chaining
 * @param sourceIdentity    the source of the source identity
 * @param endpoints         the endpoints' paths
 * @param console           console sign-in
 * @param baseUrl           the app's absolute URL when it sits behind a proxy
 * @param accountAliases    12-digit account ids to their aliases
 * @param delegation        the Auth0-compatible {@code /delegation} endpoint; off unless given
 */
public record SamlDocument(@Required String entityId, @Required KeyStoreDocument keyStore, Duration assertionLifetime,
        String signInRegion, @PerUserTemplate Map<String, String> attributes, @PerUserTemplate Map<String, String> principalTags,
        List<String> transitiveTagKeys, @PerUserTemplate String sourceIdentity, EndpointsDocument endpoints,
        ConsoleDocument console, URI baseUrl, Map<String, String> accountAliases, @Switchable DelegationDocument delegation)
        implements Supplier<SamlDocument.Saml> {

    /**
     * What the section makes.
     *
     * @param settings  the identity provider
     * @param endpoints its endpoints
     */
    public record Saml(SamlSettings settings, SamlEndpointSettings endpoints) {
    }

    public SamlDocument {
        for (Map.Entry<String, String> entry : accountAliases.entrySet()) {
            if (!entry.getKey().matches("\\d{12}")) {
                throw new ConfigurationException("accountAliases." + entry.getKey(), "'" + entry.getKey()
                        + "' is not a 12-digit account id");
            }
            if (!entry.getValue().matches("[a-z0-9]([a-z0-9-]{1,61}[a-z0-9])?")) {
                throw new ConfigurationException("accountAliases." + entry.getKey(), "'" + entry.getValue()
                        + "' is not an account alias (3-63 lower-case letters, digits and hyphens)");
            }
        }
    }

    @Override
    public Saml get() {
        SamlSettings.Builder settings = SamlSettings.builder().entityId(entityId);
        settings.signingKey(YamlBinderSupport.within("keyStore", () -> keyStore.load(Thread.currentThread().getContextClassLoader())));
        if (assertionLifetime != null) {
            settings.assertionLifetime(assertionLifetime);
        }
        if (signInRegion != null) {
            Region region = Region.of(signInRegion);
            YamlBinderSupport.setting("signInRegion", () -> Partition.ofRegion(region));
            settings.signInRegion(region);
        }
        attributes.forEach((name, source) -> YamlBinderSupport.setting("attributes." + name, () -> settings.attribute(name, source)));
        principalTags.forEach((key, source) -> YamlBinderSupport.setting("principalTags." + key, () -> settings.principalTag(key, source)));
        settings.transitiveTagKeys(transitiveTagKeys);
        YamlBinderSupport.setting("sourceIdentity", () -> settings.sourceIdentity(sourceIdentity));
        return new Saml(settings.build(), endpointSettings());
    }

    private SamlEndpointSettings endpointSettings() {
        EndpointsDocument paths = endpoints != null ? endpoints : new EndpointsDocument(null, null, null, null);
        ConsoleDocument signIn = console != null ? console : new ConsoleDocument(null, null, null);
        SamlEndpointSettings.Delegation delegationSettings = delegation == null ? null : delegation.settings();
        Set<String> used = new LinkedHashSet<>();
        for (String path : new String[] {paths.metadata(), paths.console(), paths.roles(), paths.cli(),
                delegationSettings == null ? null : delegationSettings.path()}) {
            if (path != null && !used.add(path)) {
                throw new ConfigurationException("endpoints", "two SAML endpoints share the path " + path);
            }
        }
        return new SamlEndpointSettings(paths.metadata(), paths.console(), paths.roles(), paths.cli(),
                signIn.roleChooser() == null ? SamlEndpointSettings.RoleChooser.APP : signIn.roleChooser(), signIn.relayState(),
                baseUrl, accountAliases, delegationSettings, signIn.signInUrl());
    }
}

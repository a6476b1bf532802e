package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.SamlEndpointSettings;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code saml.endpoints} section: each endpoint's path, or {@code off}. The metadata, console sign-in and the
 * role listing are on at their default paths; the command-line client's endpoint is off unless given a path or
 * {@code on} (its default path): it hands a signed assertion to a local program. Once built, a component is the
 * endpoint's path, or {@code null} when it is off.
 *
 * @param metadata the IdP metadata's path, or off
 * @param console  console sign-in's path, or off
 * @param roles    the role listing's path, or off
 * @param cli      the command-line client's path, on, or off
 */
public record EndpointsDocument(String metadata, String console, String roles, String cli) {

    private static final Set<String> OFF = Set.of("false", "off", "no");
    private static final Set<String> ON = Set.of("true", "on", "yes");

    public EndpointsDocument {
        metadata = path("metadata", metadata, SamlEndpointSettings.DEFAULT_METADATA_PATH);
        console = path("console", console, SamlEndpointSettings.DEFAULT_CONSOLE_PATH);
        roles = path("roles", roles, SamlEndpointSettings.DEFAULT_ROLES_PATH);
        cli = cli != null && ON.contains(cli.toLowerCase(Locale.ROOT)) ? SamlEndpointSettings.DEFAULT_CLI_PATH
                : path("cli", cli, null);
    }

    // A path, off (null), or the default when left out.
    private static String path(String key, String value, String fallback) {
        if (value == null) {
            return fallback;
        }
        if (OFF.contains(value.toLowerCase(Locale.ROOT))) {
            return null;
        }
        if (!value.startsWith("/")) {
            throw new ConfigurationException(key, "'" + value + "' must be a path starting with /, or off");
        }
        return value;
    }
}

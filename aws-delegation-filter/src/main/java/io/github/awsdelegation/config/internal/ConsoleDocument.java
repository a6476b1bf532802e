package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.SamlEndpointSettings;
import java.net.URI;

/**
 * The {@code saml.console} section: console sign-in.
 *
 * @param roleChooser who lets a user with several roles choose one: {@code app} (by default) or {@code aws}
 * @param relayState  the console page to open after sign-in
 * @param signInUrl   where the sign-in page posts the SAML response instead of AWS's sign-in endpoint, for a stand-in
 *                    that verifies it (the testkit's): https, or http on a loopback host only, since the browser hands
 *                    it a signed response that AWS would accept
 */
public record ConsoleDocument(SamlEndpointSettings.RoleChooser roleChooser, URI relayState, URI signInUrl) {

    public ConsoleDocument {
        if (signInUrl != null) {
            String host = signInUrl.getHost();
            boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
            if (signInUrl.getRawQuery() != null || signInUrl.getRawFragment() != null
                    || !("https".equals(signInUrl.getScheme()) || "http".equals(signInUrl.getScheme()) && loopback)) {
                throw new ConfigurationException("signInUrl", "'" + signInUrl + "' is not a sign-in URL; write "
                        + "https://host/path (plain http only on a loopback host, for a local stand-in), or leave it out for "
                        + "AWS's https://signin.aws.amazon.com/saml");
            }
        }
    }
}

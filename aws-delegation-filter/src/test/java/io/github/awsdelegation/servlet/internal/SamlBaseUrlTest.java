package io.github.awsdelegation.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.SamlEndpointSettings;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * When the SAML metadata may take its sign-on location from the request: only for a deployment that signs users in
 * with a loopback identity provider (the embedded sample, a developer's machine). Anything else needs
 * {@code saml.baseUrl}, or the deployment fails.
 */
class SamlBaseUrlTest {

    static SamlEndpointSettings withBaseUrl(URI baseUrl) {
        SamlEndpointSettings d = SamlEndpointSettings.defaults();
        return new SamlEndpointSettings(d.metadataPath(), d.consolePath(), d.rolesPath(), d.cliPath(), d.roleChooser(),
                null, baseUrl, Map.of(), null);
    }

    @Test
    @DisplayName("a real identity provider and no saml.baseUrl fail the deployment, naming the key and the fix")
    void realIssuer_noBaseUrl_fails() {
        assertThatThrownBy(() -> SamlEndpoints.requireBaseUrl(URI.create("https://tenant.eu.auth0.com/"), withBaseUrl(null)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("saml.baseUrl").hasMessageContaining("is required")
                .hasMessageContaining("e.g. https://shop.example.com/");
    }

    @Test
    @DisplayName("with saml.baseUrl, or a loopback identity provider, the deployment starts")
    void baseUrlOrLoopback_starts() {
        assertThatCode(() -> SamlEndpoints.requireBaseUrl(URI.create("https://tenant.eu.auth0.com/"),
                withBaseUrl(URI.create("https://shop.example.com/")))).doesNotThrowAnyException();
        assertThatCode(() -> SamlEndpoints.requireBaseUrl(URI.create("http://127.0.0.1:9000/"), withBaseUrl(null)))
                .doesNotThrowAnyException();
    }

    @Test
    @DisplayName("loopback names are recognised without DNS; look-alikes are not loopback")
    void isLoopback() {
        assertThat(SamlEndpoints.isLoopback("127.0.0.1")).isTrue();
        assertThat(SamlEndpoints.isLoopback("127.8.9.10")).isTrue();
        assertThat(SamlEndpoints.isLoopback("localhost")).isTrue();
        assertThat(SamlEndpoints.isLoopback("[::1]")).isTrue();
        assertThat(SamlEndpoints.isLoopback("127.0.0.1.evil.example")).isFalse();
        assertThat(SamlEndpoints.isLoopback("localhost.evil.example")).isFalse();
        assertThat(SamlEndpoints.isLoopback("evil.example")).isFalse();
        assertThat(SamlEndpoints.isLoopback(null)).isFalse();
    }
}

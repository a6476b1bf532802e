package io.github.awsdelegation.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.config.LoginSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code login:} section's session keys: documented defaults, and start-up errors that name the key. */
class DelegationConfigLoaderLoginTest {

    final DelegationConfigLoader loader = DelegationConfigLoader.withVariables(Map.of());

    DelegationConfig parse(String login) {
        return loader.parse("""
                oidc:
                  issuer: https://tenant.eu.auth0.com/
                  clientId: pet-shop
                sts:
                  region: eu-west-1
                login:
                %s
                rules:
                  - id: all
                    roles:
                      - arn: arn:aws:iam::123456789012:role/pet-shop-buyer
                """.formatted(login.indent(2).stripTrailing()));
    }

    @Test
    @DisplayName("login: {} gets a 30-minute idle timeout, an 8-hour maximum age and no offline_access")
    void defaults() {
        LoginSettings login = parse("{}").login();

        assertThat(login.idleTimeout()).isEqualTo(Duration.ofMinutes(30)).isEqualTo(LoginSettings.DEFAULT_IDLE_TIMEOUT);
        assertThat(login.maxAge()).isEqualTo(Duration.ofHours(8)).isEqualTo(LoginSettings.DEFAULT_MAX_AGE);
        assertThat(login.offlineAccess()).isFalse();
        assertThat(login.requestedScopes()).containsExactly("openid", "profile", "email");
    }

    @Test
    @DisplayName("idleTimeout, maxAge and offlineAccess are read; offline_access joins the requested scopes once")
    void set() {
        LoginSettings login = parse("""
                idleTimeout: 15m
                maxAge: 12h
                offlineAccess: true
                scopes: [openid, email]
                """).login();

        assertThat(login.idleTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(login.maxAge()).isEqualTo(Duration.ofHours(12));
        assertThat(login.requestedScopes()).containsExactly("openid", "email", "offline_access");
        assertThat(parse("offlineAccess: true\nscopes: [openid, offline_access]").login().requestedScopes())
                .containsExactly("openid", "offline_access");
    }

    @Test
    @DisplayName("a zero, too short, unreadable or inconsistent lifetime fails at start-up naming the key")
    void invalid() {
        assertRejected("idleTimeout: 0", "login.idleTimeout", "must be positive");
        assertRejected("maxAge: 0s", "login.maxAge", "must be positive");
        assertRejected("idleTimeout: 30s", "login.idleTimeout", "at least 1m");
        assertRejected("maxAge: 30s", "login.maxAge", "at least 1m");
        assertRejected("idleTimeout: soon", "login.idleTimeout", "is not a duration");
        assertRejected("idleTimeout: 2h\nmaxAge: 1h", "login.idleTimeout", "longer than login.maxAge");
        assertRejected("offlineAccess: maybe", "login.offlineAccess", "");
    }

    @Test
    @DisplayName("encryptionKey is 32 bytes in Base64, never shown; unset, there is none; a wrong one fails naming the key")
    void encryptionKey() {
        String key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";  // 32 bytes, a test value
        LoginSettings login = parse("encryptionKey: " + key).login();

        assertThat(login.encryptionKey()).isEqualTo(key);
        assertThat(login.toString()).contains("encryptionKey=<redacted>").doesNotContain(key);
        assertThat(parse("{}").login().encryptionKey()).isNull();
        assertThat(parse("encryptionKey: ''").login().encryptionKey()).as("an empty variable is unset").isNull();
        assertRejected("encryptionKey: c2hvcnQ=", "login.encryptionKey", "openssl rand -base64 32");
        assertRejected("encryptionKey: not-base64!", "login.encryptionKey", "32 random bytes in Base64");
        assertThatThrownBy(() -> parse("encryptionKey: c2hvcnQ=")).message().doesNotContain("c2hvcnQ=");
    }

    void assertRejected(String login, String key, String message) {
        assertThatThrownBy(() -> parse(login)).isInstanceOfSatisfying(ConfigurationException.class,
                e -> assertThat(e.key()).isEqualTo(key)).hasMessageContaining(message);
    }
}

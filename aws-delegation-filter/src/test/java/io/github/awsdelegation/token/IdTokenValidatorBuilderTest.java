package io.github.awsdelegation.token;

import static io.github.awsdelegation.token.TestTokens.CLIENT_ID;
import static io.github.awsdelegation.token.TestTokens.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link IdTokenValidatorBuilder#build()} refuses wrong settings and names the setter at fault. */
class IdTokenValidatorBuilderTest {

    private static IdTokenValidatorBuilder valid() {
        return IdTokenValidator.builder().issuer(ISSUER).clientId(CLIENT_ID);
    }

    private static void assertRefused(UnaryOperator<IdTokenValidatorBuilder> change, String messageStart) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(messageStart);
    }

    @Test
    void build_requiredSettingsOnly_usesTheDocumentedDefaults() {
        IdTokenValidator validator = valid().build();

        assertThat(validator.issuer()).isEqualTo(ISSUER);
        assertThat(validator.clientId()).isEqualTo(CLIENT_ID);
        assertThat(validator.toString()).contains("algorithms=[RS256]");
        assertThat(IdTokenValidator.DEFAULT_ALGORITHMS).containsExactly(JWSAlgorithm.RS256);
        assertThat(IdTokenValidator.DEFAULT_CLOCK_SKEW).isEqualTo(Duration.ofSeconds(60));
        assertThat(IdTokenValidator.DEFAULT_MAX_TOKEN_AGE).isEqualTo(Duration.ofHours(24));
        assertThat(IdTokenValidator.DEFAULT_CONNECT_TIMEOUT).isEqualTo(Duration.ofSeconds(2));
        assertThat(IdTokenValidator.DEFAULT_READ_TIMEOUT).isEqualTo(Duration.ofSeconds(2));
        assertThat(IdTokenValidator.DEFAULT_VALIDATED_TOKEN_CACHE_SIZE).isEqualTo(10_000);
        assertThat(IdTokenValidator.DEFAULT_GROUPS_CLAIM).isEqualTo("groups");
        assertThat(IdTokenValidator.MAX_TOKEN_LENGTH).isEqualTo(20_000);
    }

    @Test
    void build_noIssuer_refused() {
        assertRefused(b -> b.issuer(null), "issuer: required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://tenant.example.auth0.com/", "https://tenant.example/?x=1", "https://tenant.example/#f",
            "tenant.example", "ftp://tenant.example/", "https://user@tenant.example/", "http://127.0.0.1.evil.example/"})
    void build_issuerNotHttpsWithoutQueryOrFragment_refused(String issuer) {
        assertRefused(b -> b.issuer(URI.create(issuer)), "issuer: must be an https URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/", "http://localhost:8080/realms/demo", "http://[::1]:9000/"})
    @DisplayName("Plain http is accepted for loopback hosts only, where local test providers run")
    void build_loopbackHttpIssuer_accepted(String issuer) {
        assertThat(valid().issuer(URI.create(issuer)).build().issuer()).hasToString(issuer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void build_blankClientId_refused(String clientId) {
        assertRefused(b -> b.clientId(clientId), "clientId: required");
    }

    @Test
    void build_noClientId_refused() {
        assertRefused(b -> b.clientId(null), "clientId: required");
    }

    @Test
    void build_blankTrustedAudience_refused() {
        assertRefused(b -> b.trustedAudiences(Arrays.asList("https://api.example", " ")), "trustedAudiences: must not contain");
        assertRefused(b -> b.trustedAudiences(null), "trustedAudiences: must not be null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE"})
    void build_algorithmNone_refused(String none) {
        assertRefused(b -> b.algorithms(List.of(JWSAlgorithm.parse(none))), "algorithms: 'none' is refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512"})
    @DisplayName("HMAC algorithms are refused: the issuer shares no secret with us")
    void build_hmacAlgorithm_refused(String hmac) {
        assertRefused(b -> b.algorithms(List.of(JWSAlgorithm.RS256, JWSAlgorithm.parse(hmac))), "algorithms: " + hmac + " is refused");
    }

    @Test
    void build_unsupportedOrEmptyAlgorithms_refused() {
        assertRefused(b -> b.algorithms(List.of(JWSAlgorithm.ES256K)), "algorithms: ES256K is not supported");
        assertRefused(b -> b.algorithms(List.of()), "algorithms: at least one is required");
        assertRefused(b -> b.algorithms(Arrays.asList(JWSAlgorithm.RS256, null)), "algorithms: must not contain null");
    }

    @Test
    void build_everySupportedAsymmetricAlgorithm_accepted() {
        List<JWSAlgorithm> all = List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256,
                JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
                JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519, JWSAlgorithm.Ed448);

        assertThat(valid().algorithms(all).build().toString()).contains("EdDSA");
        assertThat(IdTokenValidator.SUPPORTED_ALGORITHMS).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void build_clockSkewOutOfRange_refused() {
        assertRefused(b -> b.clockSkew(Duration.ofSeconds(-1)), "clockSkew: must be between PT0S and PT5M");
        assertRefused(b -> b.clockSkew(Duration.ofMinutes(6)), "clockSkew: must be between");
        assertRefused(b -> b.clockSkew(null), "clockSkew:");
    }

    @Test
    void build_nonPositiveMaxTokenAge_refused() {
        assertRefused(b -> b.maxTokenAge(Duration.ZERO), "maxTokenAge: must be positive");
    }

    @Test
    void build_otherMissingSettings_refused() {
        assertRefused(b -> b.clock(null), "clock: must not be null");
        assertRefused(b -> b.groupsClaim(" "), "groupsClaim: must name a claim");
        assertRefused(b -> b.connectionResolver(null), "connectionResolver: must not be null");
        assertRefused(b -> b.validatedTokenCacheSize(-1), "validatedTokenCacheSize: must be 0 (off) or more");
    }

    @Test
    void build_timeoutsAndJwksLifetimeOutOfRange_refused() {
        assertRefused(b -> b.connectTimeout(Duration.ZERO), "connectTimeout: must be between");
        assertRefused(b -> b.readTimeout(Duration.ofDays(30)), "readTimeout: must be between");
        assertRefused(b -> b.jwksCacheTimeToLive(Duration.ofMillis(500)), "jwksCacheTimeToLive: must be between PT1S");
    }
}

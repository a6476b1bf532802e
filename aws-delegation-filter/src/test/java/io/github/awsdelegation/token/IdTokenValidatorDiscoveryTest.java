package io.github.awsdelegation.token;

import static io.github.awsdelegation.token.TestTokens.CLIENT_ID;
import static io.github.awsdelegation.token.TestTokens.NOW;
import static io.github.awsdelegation.token.TestTokens.RSA;
import static io.github.awsdelegation.token.TestTokens.claims;
import static io.github.awsdelegation.token.TestTokens.header;
import static io.github.awsdelegation.token.TestTokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.awsdelegation.testkit.FakeClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Keys from OIDC discovery, against a real HTTP server on 127.0.0.1 serving a discovery document and a
 * JWKS whose answers each test changes: discovery, issuer mismatch, unreachable provider, key rotation
 * and a JWKS outage survived on cached keys.
 */
class IdTokenValidatorDiscoveryTest {

    private static final RSAKey ROTATED = TestTokens.generateRsa("rsa-2", 2048);

    private final FakeClock clock = FakeClock.at(NOW);
    private final List<IdTokenValidator> validators = new ArrayList<>();
    private final AtomicInteger discoveryRequests = new AtomicInteger();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final List<String> discoveryPaths = new ArrayList<>();

    private HttpServer server;
    private String origin;
    private volatile Map<String, Object> discoveryDocument;
    private volatile int discoveryStatus = 200;
    private volatile String jwks = new JWKSet(RSA.toPublicJWK()).toString();
    private volatile int jwksStatus = 200;

    @BeforeEach
    void startProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
        origin = "http://127.0.0.1:" + server.getAddress().getPort();
        discoveryDocument = discoveryDocumentOf(origin + "/");
    }

    @AfterEach
    void stopProvider() {
        validators.forEach(IdTokenValidator::close);
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.endsWith("/.well-known/openid-configuration")) {
            discoveryRequests.incrementAndGet();
            synchronized (discoveryPaths) {
                discoveryPaths.add(path);
            }
            respond(exchange, discoveryStatus, JSONObjectUtils.toJSONString(discoveryDocument));
        } else if (path.equals("/keys")) {
            jwksRequests.incrementAndGet();
            respond(exchange, jwksStatus, jwks);
        } else {
            respond(exchange, 404, "{}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Map<String, Object> discoveryDocumentOf(String statedIssuer) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", statedIssuer);
        document.put("jwks_uri", origin + "/keys");
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        return document;
    }

    private IdTokenValidator validatorFor(String issuer) {
        return register(IdTokenValidator.builder().issuer(URI.create(issuer)).clientId(CLIENT_ID).clock(clock));
    }

    private IdTokenValidator register(IdTokenValidatorBuilder builder) {
        IdTokenValidator validator = builder.build();
        validators.add(validator);
        return validator;
    }

    private String token(String issuer, JWK key, String jti) {
        Map<String, Object> claims = claims();
        claims.put("iss", issuer);
        claims.put("jti", jti);
        return sign(header(JWSAlgorithm.RS256, key), claims, key);
    }

    @Test
    @DisplayName("Discovery happens on the first validation, not at build time, and its keys then serve later tokens")
    void validate_firstToken_discoversLazily() {
        IdTokenValidator validator = validatorFor(origin + "/");
        assertThat(discoveryRequests).hasValue(0);

        assertThat(validator.validate(token(origin + "/", RSA, "1")).subject()).isEqualTo(TestTokens.SUBJECT);
        assertThat(validator.validate(token(origin + "/", RSA, "2")).subject()).isEqualTo(TestTokens.SUBJECT);

        assertThat(discoveryRequests).hasValue(1);
        assertThat(jwksRequests).hasValue(1);
    }

    @Test
    void discover_issuerWithPath_fetchesWellKnownUnderThePath() {
        String keycloakStyle = origin + "/realms/demo";
        discoveryDocument = discoveryDocumentOf(keycloakStyle);
        IdTokenValidator validator = validatorFor(keycloakStyle);

        validator.discover();

        assertThat(discoveryPaths).containsExactly("/realms/demo/.well-known/openid-configuration");
        assertThat(jwksRequests).hasValue(1);
        assertThat(validator.validate(token(keycloakStyle, RSA, "1")).issuer()).isEqualTo(keycloakStyle);
    }

    @Test
    @DisplayName("A discovery document naming another issuer is a configuration error, at start-up and on validation")
    void discover_documentNamesAnotherIssuer_misconfigured() {
        discoveryDocument = discoveryDocumentOf("https://other.example/");
        IdTokenValidator validator = validatorFor(origin + "/");

        assertThatThrownBy(validator::discover)
                .isInstanceOf(IssuerMisconfiguredException.class)
                .hasMessageContaining("names the issuer \"https://other.example/\", but the configured issuer is \"" + origin + "/\"")
                .hasMessageContaining("configure the issuer exactly as the provider states it");
        assertThatThrownBy(() -> validator.validate(token(origin + "/", RSA, "1")))
                .isInstanceOf(IssuerMisconfiguredException.class)
                .isInstanceOf(IssuerUnavailableException.class);
        assertThat(jwksRequests).hasValue(0);
    }

    @Test
    void discover_issuerDiffersInTrailingSlash_misconfiguredWithHint() {
        discoveryDocument = discoveryDocumentOf(origin);
        IdTokenValidator validator = validatorFor(origin + "/");

        assertThatThrownBy(validator::discover)
                .isInstanceOf(IssuerMisconfiguredException.class)
                .hasMessageContaining("they differ in the trailing slash");
    }

    @Test
    void discover_noJwksUri_misconfigured() {
        discoveryDocument.remove("jwks_uri");

        assertThatThrownBy(validatorFor(origin + "/")::discover)
                .isInstanceOf(IssuerMisconfiguredException.class)
                .hasMessageContaining("has no jwks_uri");
    }

    @Test
    void discover_plainHttpJwksUriOffLoopback_misconfigured() {
        discoveryDocument.put("jwks_uri", "http://keys.example/jwks");

        assertThatThrownBy(validatorFor(origin + "/")::discover)
                .isInstanceOf(IssuerMisconfiguredException.class)
                .hasMessageContaining("\"http://keys.example/jwks\", which is not an https URL");
    }

    @Test
    void discover_documentNotJson_issuerUnavailable() {
        server.removeContext("/");
        server.createContext("/", exchange -> respond(exchange, 200, "<html>maintenance</html>"));

        assertThatThrownBy(validatorFor(origin + "/")::discover)
                .isInstanceOf(IssuerUnavailableException.class)
                .isNotInstanceOf(IssuerMisconfiguredException.class)
                .hasMessageContaining("did not answer a JSON object");
    }

    @Test
    @DisplayName("A failed discovery answers 503, fails fast during the retry interval, and is retried after it")
    void validate_discoveryFails_unavailableThenRetried() {
        discoveryStatus = 503;
        IdTokenValidator validator = validatorFor(origin + "/");
        String token = token(origin + "/", RSA, "1");

        assertThatThrownBy(() -> validator.validate(token))
                .isInstanceOf(IssuerUnavailableException.class)
                .hasMessageContaining("OIDC discovery of issuer " + origin + "/ failed: GET " + origin + "/.well-known/openid-configuration: ")
                .hasMessageContaining("HTTP response code: 503");
        assertThatThrownBy(() -> validator.validate(token))
                .isInstanceOf(IssuerUnavailableException.class)
                .hasMessageContaining("not retried before the retry interval");
        assertThat(discoveryRequests).hasValue(1);

        discoveryStatus = 200;
        clock.advance(IdTokenValidator.DEFAULT_DISCOVERY_RETRY_INTERVAL);

        assertThat(validator.validate(token).subject()).isEqualTo(TestTokens.SUBJECT);
        assertThat(discoveryRequests).hasValue(2);
    }

    @Test
    void discover_afterFailure_retriesAtOnce() {
        discoveryStatus = 500;
        IdTokenValidator validator = validatorFor(origin + "/");
        assertThatThrownBy(validator::discover).isInstanceOf(IssuerUnavailableException.class);

        discoveryStatus = 200;
        validator.discover();

        assertThat(discoveryRequests).hasValue(2);
    }

    @Test
    void validate_providerNotListening_issuerUnavailable() {
        server.stop(0);
        IdTokenValidator validator = validatorFor(origin + "/");

        assertThatThrownBy(() -> validator.validate(token(origin + "/", RSA, "1")))
                .isInstanceOf(IssuerUnavailableException.class)
                .hasMessageContaining("OIDC discovery of issuer " + origin + "/ failed");
    }

    @Test
    @DisplayName("A JWKS that cannot be fetched, with no keys cached, makes the issuer unavailable (503), not the token bad")
    void validate_jwksDownWithoutCachedKeys_issuerUnavailable() {
        jwksStatus = 500;
        IdTokenValidator validator = validatorFor(origin + "/");

        assertThatThrownBy(validator::discover)
                .isInstanceOf(IssuerUnavailableException.class)
                .hasMessageContaining("the JWKS " + origin + "/keys of issuer " + origin + "/ cannot be fetched and no keys are cached");
        assertThatThrownBy(() -> validator.validate(token(origin + "/", RSA, "1")))
                .isInstanceOf(IssuerUnavailableException.class)
                .hasMessageContaining("the JWKS " + origin + "/keys");
    }

    @Test
    @DisplayName("Key rotation: a token with a new kid makes one refetch; forged kids cannot make more")
    void validate_keyRotation_newKidPickedUpAndRefetchRateLimited() {
        IdTokenValidator validator = validatorFor(origin + "/");
        validator.validate(token(origin + "/", RSA, "1"));
        assertThat(jwksRequests).hasValue(1);

        jwks = new JWKSet(List.of(RSA.toPublicJWK(), ROTATED.toPublicJWK())).toString();

        assertThat(validator.validate(token(origin + "/", ROTATED, "2")).subject()).isEqualTo(TestTokens.SUBJECT);
        assertThat(jwksRequests).hasValue(2);

        RSAKey forged = TestTokens.generateRsa("rsa-3", 2048);
        for (int i = 0; i < 3; i++) {
            String forgedToken = token(origin + "/", forged, "forged-" + i);
            assertThatThrownBy(() -> validator.validate(forgedToken))
                    .isInstanceOf(TokenRejectedException.class)
                    .hasMessageContaining("no RSA key with kid \"rsa-3\" in the issuer's JWKS");
        }
        assertThat(jwksRequests).hasValue(2);
        assertThat(validator.validate(token(origin + "/", RSA, "3")).subject()).isEqualTo(TestTokens.SUBJECT);
    }

    @Test
    @DisplayName("A JWKS outage after the cache expired is survived on the keys fetched before")
    void validate_jwksOutage_survivedOnCachedKeys() throws InterruptedException {
        IdTokenValidator validator = register(IdTokenValidator.builder().issuer(URI.create(origin + "/")).clientId(CLIENT_ID)
                .clock(clock).jwksCacheTimeToLive(IdTokenValidator.MIN_JWKS_CACHE_TIME_TO_LIVE));
        validator.validate(token(origin + "/", RSA, "1"));
        assertThat(jwksRequests).hasValue(1);

        jwksStatus = 503;
        // Real time, not the fake clock: Nimbus's JWKS cache runs on the system clock.
        Thread.sleep(1_200);

        assertThat(validator.validate(token(origin + "/", RSA, "2")).subject()).isEqualTo(TestTokens.SUBJECT);
        assertThat(jwksRequests.get()).isGreaterThan(1);
        RSAKey unknown = TestTokens.generateRsa("unknown", 2048);
        assertThatThrownBy(() -> validator.validate(token(origin + "/", unknown, "3")))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessageContaining("no RSA key with kid \"unknown\"");
    }
}

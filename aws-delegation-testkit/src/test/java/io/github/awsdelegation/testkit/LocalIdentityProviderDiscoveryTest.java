package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LocalIdentityProviderDiscoveryTest {

    private static LocalIdentityProvider idp;

    @BeforeAll
    static void start() {
        idp = LocalIdentityProvider.builder().start();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @AfterEach
    void reset() {
        idp.setJwksAvailable(true);
        idp.resetRequestCounts();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("discovery and JWKS answer a doubled slash too, as Ceph RGW asks for issuer + \"/.well-known/...\"")
    void discovery_doubleSlash_answered() throws Exception {
        String base = idp.issuer().toString();

        assertThat(TestSupport.get(java.net.URI.create(base + "/.well-known/openid-configuration")).statusCode()).isEqualTo(200);
        assertThat(TestSupport.get(java.net.URI.create(base + "/.well-known/jwks.json")).body()).contains("\"x5c\"");
    }

    @Test
    void issuer_isLoopbackWithTrailingSlash() {
        assertThat(idp.issuer().toString()).isEqualTo("http://127.0.0.1:" + idp.port() + "/");
        assertThat(idp.port()).isPositive();
    }

    @Test
    void discovery_describesTheProviderLikeAuth0() throws Exception {
        HttpResponse<String> response = TestSupport.get(idp.discoveryUri());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        Map<String, Object> doc = JSONObjectUtils.parse(response.body());
        String issuer = idp.issuer().toString();
        assertThat(doc).containsEntry("issuer", issuer)
                .containsEntry("authorization_endpoint", issuer + "authorize")
                .containsEntry("token_endpoint", issuer + "oauth/token")
                .containsEntry("jwks_uri", issuer + ".well-known/jwks.json")
                .containsEntry("end_session_endpoint", issuer + "oidc/logout")
                .containsEntry("userinfo_endpoint", issuer + "userinfo")
                .containsEntry("response_types_supported", List.of("code"))
                .containsEntry("subject_types_supported", List.of("public"))
                .containsEntry("id_token_signing_alg_values_supported", List.of("RS256"))
                .containsEntry("code_challenge_methods_supported", List.of("S256"));
        assertThat(JSONObjectUtils.getStringList(doc, "scopes_supported")).contains("openid", "profile", "email");
        assertThat(JSONObjectUtils.getStringList(doc, "claims_supported")).contains("sub", "email", "groups", "nonce");
    }

    @Test
    void jwks_publishesRs256SigningKeysWithMatchingSelfSignedCertificate() throws Exception {
        HttpResponse<String> response = TestSupport.get(idp.jwksUri());

        assertThat(response.statusCode()).isEqualTo(200);
        JWKSet set = JWKSet.parse(response.body());
        assertThat(set.getKeys()).hasSize(1);
        JWK jwk = set.getKeys().get(0);
        assertThat(jwk.isPrivate()).as("no private parts served").isFalse();
        assertThat(response.body()).doesNotContain("\"d\"", "\"p\"", "\"q\"");
        RSAKey rsa = jwk.toRSAKey();
        assertThat(rsa.size()).isEqualTo(2048);
        assertThat(rsa.getKeyID()).isEqualTo(idp.currentKeyId()).isEqualTo(rsa.computeThumbprint().toString());
        assertThat(rsa.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(rsa.getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(rsa.getX509CertChain()).hasSize(1);
        assertThat(rsa.getParsedX509CertChain().get(0).getPublicKey()).isEqualTo(rsa.toRSAPublicKey());
        RSAPublicKey certKey = (RSAPublicKey) rsa.getParsedX509CertChain().get(0).getPublicKey();
        assertThat(certKey.getModulus()).isEqualTo(rsa.toRSAPublicKey().getModulus());
        rsa.getParsedX509CertChain().get(0).verify(certKey);
        rsa.getParsedX509CertChain().get(0).checkValidity();
        assertThat(rsa.getX509CertSHA256Thumbprint()).isNotNull();
    }

    @Test
    @DisplayName("setJwksAvailable(false) makes JWKS and discovery answer 503, and both are counted")
    void setJwksAvailable_false_answers503AndCounts() throws Exception {
        idp.setJwksAvailable(false);

        assertThat(TestSupport.get(idp.jwksUri()).statusCode()).isEqualTo(503);
        assertThat(TestSupport.get(idp.discoveryUri()).statusCode()).isEqualTo(503);
        idp.setJwksAvailable(true);
        assertThat(TestSupport.get(idp.jwksUri()).statusCode()).isEqualTo(200);

        assertThat(idp.jwksRequestCount()).isEqualTo(2);
        assertThat(idp.discoveryRequestCount()).isEqualTo(1);
    }

    @Test
    void rotateKeys_keepOld_publishesNewKeyFirstThenOld() throws Exception {
        String before = idp.currentKeyId();

        idp.rotateKeys(true);

        JWKSet set = JWKSet.parse(TestSupport.get(idp.jwksUri()).body());
        assertThat(set.getKeys()).extracting(JWK::getKeyID).containsExactly(idp.currentKeyId(), before);
        assertThat(idp.currentKeyId()).isNotEqualTo(before);

        idp.rotateKeys(false);

        assertThat(JWKSet.parse(TestSupport.get(idp.jwksUri()).body()).getKeys()).extracting(JWK::getKeyID)
                .containsExactly(idp.currentKeyId());
    }

    @Test
    void unknownPath_answers404() throws Exception {
        assertThat(TestSupport.get(idp.issuer().resolve("nothing-here")).statusCode()).isEqualTo(404);
    }

    @Test
    void close_refusesConnections() {
        LocalIdentityProvider other = LocalIdentityProvider.builder().start();
        URI discovery = other.discoveryUri();

        other.close();

        assertThatThrownBy(() -> TestSupport.get(discovery)).isInstanceOf(ConnectException.class);
    }

    @Test
    void builder_withoutRedirectUris_failsNamingTheClient() {
        assertThatThrownBy(() -> LocalIdentityProvider.builder().client("lonely", null, List.of()).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'lonely'").hasMessageContaining("allowAnyLoopbackRedirect");
    }

    @Test
    void databaseUserSubject_isStableAndAuth0Shaped() {
        assertThat(LocalIdentityProvider.databaseUserSubject("Admin@Example.com"))
                .isEqualTo(LocalIdentityProvider.databaseUserSubject("admin@example.com"))
                .matches("auth0\\|[0-9a-f]{24}");
        assertThat(LocalIdentityProvider.socialUserSubject(Demo.BUYER_AMAZON_ID)).isEqualTo("amazon|amzn1.account.DEMO");
    }
}

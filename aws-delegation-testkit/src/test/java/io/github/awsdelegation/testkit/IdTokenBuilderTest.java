package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdTokenBuilderTest {

    private static LocalIdentityProvider idp;
    private static DefaultJWTProcessor<SecurityContext> verifier;

    @BeforeAll
    static void start() {
        idp = LocalIdentityProvider.builder().groupsClaim("https://pet-shop.example/groups").start();
        verifier = TestSupport.verifierFor(idp, Demo.CLIENT_ID);
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @Test
    void sign_defaults_verifyAgainstServedJwks() throws Exception {
        Instant before = Instant.now().minusSeconds(1);

        JWTClaimsSet claims = verifier.process(idp.newIdToken().sign(), null);

        assertThat(claims.getIssuer()).isEqualTo(idp.issuer().toString());
        assertThat(claims.getAudience()).containsExactly(Demo.CLIENT_ID);
        assertThat(claims.getSubject()).isEqualTo(IdTokenBuilder.DEFAULT_SUBJECT);
        assertThat(claims.getIssueTime().toInstant()).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(LocalIdentityProvider.DEFAULT_ID_TOKEN_LIFETIME);
    }

    @Test
    void idTokenForDatabaseUser_carriesProfileEmailAndNamespacedGroups() throws Exception {
        JWTClaimsSet claims = verifier.process(idp.idTokenForDatabaseUser(Demo.ADMIN_USERNAME), null);

        assertThat(claims.getSubject()).isEqualTo(LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME));
        assertThat(claims.getStringListClaim("https://pet-shop.example/groups")).containsExactly(Demo.ADMIN_GROUP);
        assertThat(claims.getClaim("email")).isEqualTo(Demo.ADMIN_EMAIL);
        assertThat(claims.getClaims()).doesNotContainKey("groups");
    }

    @Test
    void idTokenForSocialUser_hasAmazonSubject() throws Exception {
        JWTClaimsSet claims = verifier.process(idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID), null);

        assertThat(claims.getSubject()).isEqualTo("amazon|amzn1.account.DEMO");
        assertThat(claims.getClaim("email")).isEqualTo(Demo.BUYER_EMAIL);
    }

    @Test
    void fluentSetters_writeTheClaimsAsGiven() throws Exception {
        Instant iat = Instant.parse("2030-01-01T00:00:00Z");
        String token = idp.newIdToken().subject("auth0|x").audience("a", "b").azp("a").issuedAt(iat)
                .notBefore(iat.minusSeconds(5)).expiresAt(iat.plusSeconds(60)).nonce("n").email("e@example.com")
                .groups(List.of("g1", "g2")).claim("custom", Map.of("k", "v")).claim("when", iat).sign();

        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();

        assertThat(claims.getSubject()).isEqualTo("auth0|x");
        assertThat(claims.getAudience()).containsExactly("a", "b");
        assertThat(claims.getClaim("azp")).isEqualTo("a");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(iat);
        assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(iat.minusSeconds(5));
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(iat.plusSeconds(60));
        assertThat(claims.getClaim("nonce")).isEqualTo("n");
        assertThat(claims.getStringListClaim("https://pet-shop.example/groups")).containsExactly("g1", "g2");
        assertThat(claims.getJSONObjectClaim("custom")).containsEntry("k", "v");
        assertThat(claims.getLongClaim("when")).isEqualTo(iat.getEpochSecond());
    }

    @Test
    void withoutClaim_removesDefaults() throws Exception {
        JWTClaimsSet claims = SignedJWT.parse(idp.newIdToken().withoutClaim("sub").withoutClaim("exp")
                .withoutClaim("aud").sign()).getJWTClaimsSet();

        assertThat(claims.getSubject()).isNull();
        assertThat(claims.getExpirationTime()).isNull();
        assertThat(claims.getAudience()).isEmpty();
        assertThat(claims.getIssuer()).isEqualTo(idp.issuer().toString());
    }

    @Test
    void expiresIn_negative_isRejectedByVerifier() {
        String token = idp.newIdToken().expiresIn(Duration.ofMinutes(-5)).sign();

        assertThatThrownBy(() -> verifier.process(token, null)).isInstanceOf(BadJOSEException.class)
                .hasMessageContaining("Expired JWT");
    }

    @Test
    void signWithForeignKey_failsVerification() {
        String token = idp.newIdToken().signWithForeignKey();

        assertThatThrownBy(() -> verifier.process(token, null)).isInstanceOf(BadJOSEException.class)
                .hasMessageContaining("Signed JWT rejected");
    }

    @Test
    void signWithAlgorithm_otherThanRs256_isRejectedByAnRs256Verifier() throws Exception {
        for (String algorithm : List.of("RS384", "PS256", "HS256", "ES256")) {
            String token = idp.newIdToken().signWithAlgorithm(algorithm);
            assertThat(SignedJWT.parse(token).getHeader().getAlgorithm().getName()).isEqualTo(algorithm);
            assertThatThrownBy(() -> verifier.process(token, null)).as(algorithm).isInstanceOf(BadJOSEException.class);
        }
        assertThat(idp.newIdToken().signWithAlgorithm("none")).endsWith(".");
        assertThatThrownBy(() -> idp.newIdToken().signWithAlgorithm("XY1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("XY1");
    }

    @Test
    void rotateKeys_keepOld_oldAndNewTokensVerify_withoutOld_oldTokensFail() throws Exception {
        try (LocalIdentityProvider rotating = LocalIdentityProvider.builder().start()) {
            DefaultJWTProcessor<SecurityContext> rotatingVerifier = TestSupport.verifierFor(rotating, Demo.CLIENT_ID);
            String oldToken = rotating.newIdToken().sign();

            rotating.rotateKeys(true);
            String newToken = rotating.newIdToken().sign();

            assertThat(SignedJWT.parse(newToken).getHeader().getKeyID()).isEqualTo(rotating.currentKeyId())
                    .isNotEqualTo(SignedJWT.parse(oldToken).getHeader().getKeyID());
            assertThat(rotatingVerifier.process(oldToken, null)).isNotNull();
            assertThat(rotatingVerifier.process(newToken, null)).isNotNull();

            rotating.rotateKeys(false);

            assertThatThrownBy(() -> rotatingVerifier.process(oldToken, null)).isInstanceOf(BadJOSEException.class);
            assertThatThrownBy(() -> rotatingVerifier.process(newToken, null)).isInstanceOf(BadJOSEException.class);
            assertThat(rotatingVerifier.process(rotating.newIdToken().sign(), null)).isNotNull();
        }
    }
}

package io.github.awsdelegation.token;

import static io.github.awsdelegation.token.TestTokens.CLIENT_ID;
import static io.github.awsdelegation.token.TestTokens.EC;
import static io.github.awsdelegation.token.TestTokens.ISSUER;
import static io.github.awsdelegation.token.TestTokens.NOW;
import static io.github.awsdelegation.token.TestTokens.RSA;
import static io.github.awsdelegation.token.TestTokens.SUBJECT;
import static io.github.awsdelegation.token.TestTokens.claims;
import static io.github.awsdelegation.token.TestTokens.encode;
import static io.github.awsdelegation.token.TestTokens.header;
import static io.github.awsdelegation.token.TestTokens.jwks;
import static io.github.awsdelegation.token.TestTokens.rs256;
import static io.github.awsdelegation.token.TestTokens.rs256With;
import static io.github.awsdelegation.token.TestTokens.sign;
import static io.github.awsdelegation.token.TestTokens.signaturePart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.awsdelegation.testkit.FakeClock;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checks of OIDC Core §3.1.3.7 and RFC 8725, each with a token that fails it and one that passes,
 * against static keys (discovery has its own test). Every rejection is asserted by type, by the
 * message fragment naming the check, and by the absence of the token's signature from the message.
 */
class IdTokenValidatorTest {

    private final FakeClock clock = FakeClock.at(NOW);
    private final CountingJwkSource keys = new CountingJwkSource(jwks(RSA, EC));

    private IdTokenValidatorBuilder builder() {
        return IdTokenValidator.builder().issuer(ISSUER).clientId(CLIENT_ID).clock(clock).jwkSource(keys);
    }

    private final IdTokenValidator validator = builder().build();

    private static void assertRejected(IdTokenValidator validator, String token, String expectedNonce, String fragment) {
        assertThatThrownBy(() -> validator.validate(token, expectedNonce))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessageStartingWith("ID token rejected: ")
                .hasMessageContaining(fragment)
                .satisfies(e -> {
                    if (token != null && token.length() > 40) {
                        String signature = signaturePart(token);
                        if (signature.length() > 20) {
                            assertThat(e.getMessage()).doesNotContain(signature);
                        }
                        assertThat(e.getMessage()).doesNotContain(token.substring(0, 30));
                    }
                });
    }

    private void assertRejected(String token, String fragment) {
        assertRejected(validator, token, null, fragment);
    }

    @Test
    void validate_goodToken_returnsIdentity() {
        VerifiedIdentity identity = validator.validate(rs256(claims()));

        assertThat(identity.subject()).isEqualTo(SUBJECT);
        assertThat(identity.issuer()).isEqualTo(ISSUER.toString());
    }

    @Nested
    class Shape {

        @Test
        void validate_null_rejected() {
            assertRejected(null, "no ID token");
        }

        @Test
        void validate_empty_rejected() {
            assertRejected("", "no ID token");
        }

        @Test
        @DisplayName("A token longer than STS's 20,000 characters is rejected before it is parsed")
        void validate_longerThanStsLimit_rejectedBeforeParsing() {
            String notEvenAToken = "a".repeat(20_001);

            assertRejected(notEvenAToken, "longer than 20000 characters");
        }

        @Test
        void validate_signedTokenOverLimit_rejected() {
            String token = rs256With(c -> c.put("pad", "x".repeat(16_000)));
            assertThat(token.length()).isGreaterThan(20_000);

            assertRejected(token, "longer than 20000 characters");
        }

        @Test
        void validate_largeTokenWithinLimit_accepted() {
            String token = rs256With(c -> c.put("pad", "x".repeat(14_000)));
            assertThat(token.length()).isBetween(18_000, 20_000);

            assertThat(validator.validate(token).claims()).containsKey("pad");
        }

        @Test
        void validate_encryptedJwe_rejected() throws JOSEException {
            EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
                    new JWTClaimsSet.Builder().issuer(ISSUER.toString()).subject(SUBJECT).build());
            jwe.encrypt(new RSAEncrypter(RSA.toRSAPublicKey()));

            assertRejected(jwe.serialize(), "encrypted (JWE) ID tokens are not accepted");
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "abc.def", "abc.def.ghi.jkl"})
        void validate_notThreeParts_rejected(String token) {
            assertRejected(token, "expected three base64url parts");
        }

        @Test
        void validate_nonBase64UrlCharacter_rejected() {
            String token = rs256(claims());
            String withPlus = token.substring(0, 10) + "+" + token.substring(11);

            assertRejected(withPlus, "is not base64url");
        }

        @Test
        void validate_headerNotJson_rejected() {
            String token = Base64URL.encode("not json") + "." + encode(claims()) + ".c2ln";

            assertRejected(token, "header is not a base64url-encoded JSON object");
        }

        @Test
        void validate_claimsNotJson_rejected() {
            String token = encode(header(JWSAlgorithm.RS256, RSA)) + "." + Base64URL.encode("[1,2]") + ".c2ln";

            assertRejected(token, "claims is not a base64url-encoded JSON object");
        }

        @Test
        @DisplayName("Claims with a duplicate name are rejected: parsers that keep the first and the last would disagree")
        void validate_duplicateClaim_rejected() {
            String claimsJson = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"" + SUBJECT + "\",\"sub\":\"auth0|admin\",\"aud\":\""
                    + CLIENT_ID + "\",\"iat\":" + (NOW.getEpochSecond() - 10) + ",\"exp\":" + (NOW.getEpochSecond() + 3600) + "}";
            String token = TestTokens.signRaw("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", claimsJson, RSA);

            assertRejected(token, "claims is not a base64url-encoded JSON object");
            assertThat(validator.validate(TestTokens.signRaw("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}",
                    claimsJson.replace(",\"sub\":\"auth0|admin\"", ""), RSA)).subject()).isEqualTo(SUBJECT);
        }

        @Test
        void validate_emptySignature_rejected() {
            String token = rs256(claims());
            String unsigned = token.substring(0, token.lastIndexOf('.') + 1);

            assertRejected(unsigned, "no signature");
        }
    }

    @Nested
    class Algorithms {

        @ParameterizedTest
        @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
        @DisplayName("An unsecured token is rejected whatever the spelling of alg none, signed or not")
        void validate_algNone_rejected(String none) {
            Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", none, "typ", "JWT"));
            String unsigned = encode(header) + "." + encode(claims()) + ".";
            String withStolenSignature = encode(header) + "." + encode(claims()) + "." + signaturePart(rs256(claims()));

            assertRejected(unsigned, "unsecured (alg none) tokens are not accepted");
            assertRejected(withStolenSignature, "unsecured (alg none) tokens are not accepted");
        }

        @Test
        @DisplayName("HS256 'signed' with the issuer's public RSA key, the classic key-confusion forgery, is rejected")
        void validate_hs256WithPublicKeyBytes_rejected() throws Exception {
            Map<String, Object> header = header(JWSAlgorithm.HS256, RSA);
            String signingInput = encode(header) + "." + encode(claims());
            Base64URL mac = new MACSigner(RSA.toRSAPublicKey().getEncoded())
                    .sign(new com.nimbusds.jose.JWSHeader(JWSAlgorithm.HS256), signingInput.getBytes(StandardCharsets.US_ASCII));

            assertRejected(signingInput + "." + mac, "algorithm \"HS256\" is not allowed; allowed: [RS256]");
        }

        @Test
        void validate_algorithmNotInAllowlist_rejected() {
            String rs512 = sign(header(JWSAlgorithm.RS512, RSA), claims(), RSA);

            assertRejected(rs512, "algorithm \"RS512\" is not allowed");
        }

        @Test
        void validate_algorithmInAllowlist_accepted() {
            IdTokenValidator rsaFamily = builder()
                    .algorithms(List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS512, JWSAlgorithm.PS256)).build();

            assertThat(rsaFamily.validate(sign(header(JWSAlgorithm.RS512, RSA), claims(), RSA)).subject()).isEqualTo(SUBJECT);
            assertThat(rsaFamily.validate(sign(header(JWSAlgorithm.PS256, RSA), claims(), RSA)).subject()).isEqualTo(SUBJECT);
        }

        @Test
        void validate_es256WhenAllowed_accepted() {
            String es256 = sign(header(JWSAlgorithm.ES256, EC), claims(), EC);
            IdTokenValidator ecValidator = builder().algorithms(List.of(JWSAlgorithm.ES256)).build();

            assertThat(ecValidator.validate(es256).subject()).isEqualTo(SUBJECT);
            assertRejected(es256, "algorithm \"ES256\" is not allowed");
        }

        @Test
        @DisplayName("EdDSA (Ed25519) tokens are verified with the JDK's own EdDSA when the algorithm is allowed")
        void validate_edDsaWhenAllowed_accepted() throws Exception {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            OctetKeyPair okp = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length)))
                    .keyID("ed-1").build();
            Map<String, Object> header = new LinkedHashMap<>(Map.of("alg", "EdDSA", "typ", "JWT", "kid", "ed-1"));
            String signingInput = encode(header) + "." + encode(claims());
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(pair.getPrivate());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            String token = signingInput + "." + Base64URL.encode(signer.sign());
            IdTokenValidator edValidator = builder().jwkSource(jwks(okp)).algorithms(List.of(JWSAlgorithm.EdDSA)).build();

            assertThat(edValidator.validate(token).subject()).isEqualTo(SUBJECT);
            String tampered = signingInput.replace(encode(claims()), encode(claimsWithSubject("auth0|someone-else")))
                    + "." + signaturePart(token);
            assertRejected(edValidator, tampered, null, "invalid signature");
        }

        private Map<String, Object> claimsWithSubject(String subject) {
            Map<String, Object> claims = claims();
            claims.put("sub", subject);
            return claims;
        }
    }

    @Nested
    class Header {

        @Test
        void validate_typAbsentOrAnyCaseOfJwt_accepted() {
            Map<String, Object> noTyp = header(JWSAlgorithm.RS256, RSA);
            noTyp.remove("typ");
            Map<String, Object> lowerCase = header(JWSAlgorithm.RS256, RSA);
            lowerCase.put("typ", "jwt");

            assertThat(validator.validate(sign(noTyp, claims(), RSA)).subject()).isEqualTo(SUBJECT);
            assertThat(validator.validate(sign(lowerCase, claims(), RSA)).subject()).isEqualTo(SUBJECT);
        }

        @Test
        @DisplayName("An access token (typ at+jwt, RFC 9068) is not taken for an ID token")
        void validate_typAccessToken_rejected() {
            Map<String, Object> header = header(JWSAlgorithm.RS256, RSA);
            header.put("typ", "at+jwt");

            assertRejected(sign(header, claims(), RSA), "this is an access token (header typ \"at+jwt\", RFC 9068), not an ID token; send the ID token");
        }

        @Test
        @DisplayName("A token signed with the attacker's key and carrying that key in its jwk header is rejected")
        void validate_embeddedJwk_rejected() {
            RSAKey attacker = TestTokens.generateRsa("attacker", 2048);
            Map<String, Object> header = header(JWSAlgorithm.RS256, attacker);
            header.put("jwk", attacker.toPublicJWK().toJSONObject());

            assertRejected(sign(header, claims(), attacker), "header parameter jwk is not accepted");
        }

        @ParameterizedTest
        @ValueSource(strings = {"jku", "x5u"})
        void validate_keyUrlHeader_rejected(String parameter) {
            Map<String, Object> header = header(JWSAlgorithm.RS256, RSA);
            header.put(parameter, "https://attacker.example/keys");

            assertRejected(sign(header, claims(), RSA), "header parameter " + parameter + " is not accepted");
        }

        @Test
        void validate_x5cHeader_rejected() {
            Map<String, Object> header = header(JWSAlgorithm.RS256, RSA);
            header.put("x5c", List.of(Base64URL.encode("not a real certificate").toString()));

            assertRejected(sign(header, claims(), RSA), "header parameter x5c is not accepted");
        }

        @Test
        void validate_critHeader_rejected() {
            Map<String, Object> header = header(JWSAlgorithm.RS256, RSA);
            header.put("crit", List.of("exp"));
            header.put("exp", 1);

            assertRejected(sign(header, claims(), RSA), "header parameter crit is not accepted");
        }

        @Test
        void validate_unencodedPayloadHeader_rejected() {
            Map<String, Object> header = header(JWSAlgorithm.RS256, RSA);
            header.put("b64", false);

            assertRejected(sign(header, claims(), RSA), "header parameter b64 is not accepted");
        }
    }

    /**
     * Tokens of the shapes Keycloak, Auth0, Okta, Entra ID and Cognito issue besides ID tokens, each signed by
     * the issuer's own key, with the issuer right and {@code aud} set to the client id: everything an ID token
     * has, except being one. Each must be refused with the reason naming the kind of token and the sign of it.
     */
    @Nested
    class TokenType {

        private static String signed(Map<String, Object> header, Consumer<Map<String, Object>> change) {
            Map<String, Object> claims = claims();
            change.accept(claims);
            return sign(header, claims, RSA);
        }

        private static Map<String, Object> headerTyp(String typ) {
            Map<String, Object> header = header(JWSAlgorithm.RS256, RSA);
            header.put("typ", typ);
            return header;
        }

        private static String token(Consumer<Map<String, Object>> change) {
            return signed(header(JWSAlgorithm.RS256, RSA), change);
        }

        static Stream<Arguments> otherTokens() {
            Map<String, Object> logoutEvent = Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of());
            return Stream.of(
                    other("RFC 9068 access token (header typ at+jwt, Auth0's and Okta's RFC 9068 profile)",
                            signed(headerTyp("at+jwt"), c -> {
                                c.put("client_id", CLIENT_ID);
                                c.put("scope", "openid profile");
                                c.put("jti", "a1");
                            }),
                            "this is an access token (header typ \"at+jwt\", RFC 9068), not an ID token; send the ID token"),
                    other("RFC 9068 access token, media type spelling application/at+jwt",
                            signed(headerTyp("application/AT+JWT"), c -> c.put("client_id", CLIENT_ID)),
                            "this is an access token (header typ \"application/AT+JWT\", RFC 9068)"),
                    other("Back-Channel Logout token (header typ logout+jwt)",
                            signed(headerTyp("logout+jwt"), c -> {
                                c.put("events", logoutEvent);
                                c.put("sid", "08a5019c");
                                c.put("jti", "l1");
                            }),
                            "this is a logout token (header typ \"logout+jwt\", OIDC Back-Channel Logout)"),
                    other("Back-Channel Logout token with header typ JWT (OIDC Back-Channel Logout 1.0 §2.4)",
                            token(c -> {
                                c.put("events", logoutEvent);
                                c.put("sid", "08a5019c");
                            }),
                            "this is a logout token (claim events with the back-channel logout event), not an ID token"),
                    other("another security event token (RFC 8417)",
                            token(c -> c.put("events", Map.of("https://schemas.openid.net/secevent/risc/event-type/account-disabled", Map.of()))),
                            "this is a security event token (claim events)"),
                    other("Keycloak access token with an audience mapper (typ Bearer)",
                            token(c -> {
                                c.put("typ", "Bearer");
                                c.put("azp", CLIENT_ID);
                                c.put("scope", "openid profile email");
                                c.put("realm_access", Map.of("roles", List.of("offline_access")));
                                c.put("allowed-origins", List.of("http://127.0.0.1:8080"));
                            }),
                            "this is an access token (claim typ \"Bearer\"), not an ID token; send the ID token"),
                    other("Keycloak refresh token (typ Refresh)",
                            token(c -> {
                                c.put("typ", "Refresh");
                                c.put("azp", CLIENT_ID);
                                c.put("scope", "openid profile email");
                            }),
                            "this is a refresh token (claim typ \"Refresh\")"),
                    other("Keycloak offline token (typ Offline)",
                            token(c -> {
                                c.put("typ", "Offline");
                                c.put("azp", CLIENT_ID);
                                c.put("scope", "openid offline_access");
                            }),
                            "this is a refresh token (claim typ \"Offline\")"),
                    other("Keycloak logout token (typ Logout)",
                            token(c -> {
                                c.put("typ", "Logout");
                                c.put("events", logoutEvent);
                                c.put("sid", "08a5019c");
                            }),
                            "this is a logout token (claim typ \"Logout\")"),
                    other("Keycloak token of another type",
                            token(c -> c.put("typ", "Serialized-ID")),
                            "this is a token of type \"Serialized-ID\" (claim typ; an ID token has \"ID\" or none)"),
                    other("Okta access token (cid, scp, uid, ver 1; no typ header)",
                            signed(Map.of("alg", "RS256", "kid", RSA.getKeyID()), c -> {
                                c.put("ver", 1);
                                c.put("jti", "AT.MNAoEQ");
                                c.put("cid", CLIENT_ID);
                                c.put("uid", "00u1");
                                c.put("scp", List.of("openid", "profile", "email"));
                                c.put("auth_time", NOW.getEpochSecond() - 60);
                            }),
                            "this is an access token (claim scp), not an ID token"),
                    other("Okta access token without scopes (cid only)",
                            token(c -> {
                                c.put("ver", 1);
                                c.put("cid", CLIENT_ID);
                            }),
                            "this is an access token (claim cid)"),
                    other("Entra ID v1 access token, delegated (appid, appidacr, scp, ver 1.0)",
                            token(c -> {
                                c.put("ver", "1.0");
                                c.put("appid", CLIENT_ID);
                                c.put("appidacr", "1");
                                c.put("scp", "User.Read");
                                c.put("oid", "b7a1");
                                c.put("tid", "72f9");
                            }),
                            "this is an access token (claim scp)"),
                    other("Entra ID v2 access token, app-only (azp, azpacr, roles, idtyp app, ver 2.0)",
                            token(c -> {
                                c.put("ver", "2.0");
                                c.put("azp", CLIENT_ID);
                                c.put("azpacr", "1");
                                c.put("roles", List.of("Pets.ReadWrite"));
                                c.put("idtyp", "app");
                                c.put("oid", "b7a1");
                                c.put("tid", "72f9");
                            }),
                            "this is an access token (claim azpacr)"),
                    other("Entra ID app-only token marked only by idtyp app",
                            token(c -> {
                                c.put("ver", "2.0");
                                c.put("roles", List.of("Pets.ReadWrite"));
                                c.put("idtyp", "app");
                            }),
                            "this is an access token (claim idtyp \"app\": an app-only token)"),
                    other("Cognito access token as issued (token_use access, client_id, no aud)",
                            token(c -> {
                                c.remove("aud");
                                c.put("token_use", "access");
                                c.put("client_id", CLIENT_ID);
                                c.put("scope", "aws.cognito.signin.user.admin openid");
                                c.put("username", "buyer");
                            }),
                            "this is an access token (claim token_use \"access\"), not an ID token"),
                    other("Cognito access token with aud added by a pre token generation trigger",
                            token(c -> {
                                c.put("token_use", "access");
                                c.put("client_id", CLIENT_ID);
                            }),
                            "this is an access token (claim token_use \"access\")"),
                    other("Auth0 access token for the API and userinfo (scope, azp, aud list)",
                            token(c -> {
                                c.put("aud", List.of(CLIENT_ID, ISSUER + "userinfo"));
                                c.put("azp", CLIENT_ID);
                                c.put("scope", "openid profile email");
                            }),
                            "this is an access token (claim scope)"),
                    other("Auth0 client-credentials access token (gty)",
                            token(c -> {
                                c.put("azp", CLIENT_ID);
                                c.put("gty", "client-credentials");
                            }),
                            "this is an access token (claim gty)"),
                    other("Auth0 access token marked only by its userinfo audience",
                            token(c -> {
                                c.put("aud", List.of(CLIENT_ID, ISSUER + "userinfo"));
                                c.put("azp", CLIENT_ID);
                            }),
                            "this is an access token (audience \"https://tenant.example.auth0.com/userinfo\", the userinfo endpoint)"));
        }

        private static Arguments other(String shape, String token, String reason) {
            return Arguments.of(Named.of(shape, token), reason);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("otherTokens")
        @DisplayName("An access, refresh or logout token with aud = client id is not an ID token")
        void validate_otherTokenType_rejectedNamingIt(String token, String reason) {
            assertRejected(token, reason);
        }

        static Stream<Arguments> idTokens() {
            return Stream.of(
                    Arguments.of(Named.of("Keycloak ID token (typ ID)", token(c -> {
                        c.put("typ", "ID");
                        c.put("azp", CLIENT_ID);
                        c.put("sid", "08a5019c");
                        c.put("at_hash", "JyMVmkVDihFu5cignwASQQ");
                        c.put("identity_provider", "amazon");
                    }))),
                    Arguments.of(Named.of("Cognito ID token (token_use id)", token(c -> {
                        c.put("token_use", "id");
                        c.put("cognito:username", "buyer");
                        c.put("identities", List.of(Map.of("providerName", "Google", "providerType", "Google", "primary", "true")));
                    }))),
                    Arguments.of(Named.of("Okta ID token (ver 1, idp, amr)", token(c -> {
                        c.put("ver", 1);
                        c.put("jti", "ID.radCQ");
                        c.put("idp", "00o1org");
                        c.put("amr", List.of("pwd"));
                        c.put("at_hash", "fPlsvVszI29LU2UhDyJ9vg");
                    }))),
                    Arguments.of(Named.of("Entra ID v2 ID token (ver 2.0, app roles)", token(c -> {
                        c.put("ver", "2.0");
                        c.put("oid", "b7a1");
                        c.put("tid", "72f9");
                        c.put("roles", List.of("Pets.Admin"));
                        c.put("aio", "AXQAi");
                    }))));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("idTokens")
        @DisplayName("ID tokens of the same providers pass the token type rule")
        void validate_providersIdToken_accepted(String token) {
            assertThat(validator.validate(token).subject()).isEqualTo(SUBJECT);
        }
    }

    @Nested
    class Keys {

        @Test
        void validate_unknownKid_rejected() {
            RSAKey other = TestTokens.generateRsa("other", 2048);

            assertRejected(sign(header(JWSAlgorithm.RS256, other), claims(), other), "no RSA key with kid \"other\" in the issuer's JWKS");
        }

        @Test
        void validate_noKid_triesTheIssuersKeysOfTheAlgorithmsType() {
            Map<String, Object> header = header(JWSAlgorithm.RS256, RSA);
            header.remove("kid");

            assertThat(validator.validate(sign(header, claims(), RSA)).subject()).isEqualTo(SUBJECT);
        }

        @Test
        @DisplayName("A 1024-bit RSA key in the JWKS is refused, though the token's signature with it is valid")
        void validate_weakRsaKeyInJwks_rejected() {
            RSAKey weak = TestTokens.generateRsa("weak", 1024);
            IdTokenValidator withWeakKey = builder().jwkSource(jwks(RSA, weak)).build();

            assertRejected(withWeakKey, sign(header(JWSAlgorithm.RS256, weak), claims(), weak), null,
                    "the issuer's RSA key kid \"weak\" has 1024 bits, fewer than the 2048 required");
        }

        @Test
        @DisplayName("An ES256 token is not verified with a key on another curve, though it has the right kid")
        void validate_ecKeyOnWrongCurve_rejected() {
            JWK p384UnderSameKid = TestTokens.generateEc(EC.getKeyID(), Curve.P_384);
            IdTokenValidator mismatched = builder().jwkSource(jwks(p384UnderSameKid)).algorithms(List.of(JWSAlgorithm.ES256)).build();

            assertRejected(mismatched, sign(header(JWSAlgorithm.ES256, EC), claims(), EC), null,
                    "is on curve P-384, but ES256 requires [P-256]");
        }

        @Test
        void validate_keyForEncryption_rejected() {
            RSAKey encryptionKey = new RSAKey.Builder(RSA).keyUse(KeyUse.ENCRYPTION).build();
            IdTokenValidator withEncryptionKey = builder().jwkSource(jwks(encryptionKey)).build();

            assertRejected(withEncryptionKey, rs256(claims()), null, "is for use \"enc\", not sig");
        }

        @Test
        void validate_keyForAnotherAlgorithm_rejected() {
            RSAKey ps256Key = new RSAKey.Builder(RSA).algorithm(JWSAlgorithm.PS256).build();
            IdTokenValidator withPs256Key = builder().jwkSource(jwks(ps256Key)).build();

            assertRejected(withPs256Key, rs256(claims()), null, "is for \"PS256\", not RS256");
        }

        @Test
        @DisplayName("A JWKS that publishes a private key is not trusted: anyone could sign with it")
        void validate_privateKeyPublishedInJwks_rejected() {
            JWKSource<SecurityContext> leaky = new ImmutableJWKSet<>(new JWKSet(RSA));
            IdTokenValidator withLeakyJwks = builder().jwkSource(leaky).build();

            assertRejected(withLeakyJwks, rs256(claims()), null, "is published with its private part");
        }

        @Test
        void validate_signedByAnotherKeyUnderTheIssuersKid_rejected() {
            RSAKey impostor = TestTokens.generateRsa(RSA.getKeyID(), 2048);

            assertRejected(sign(header(JWSAlgorithm.RS256, impostor), claims(), impostor), "invalid signature");
        }

        @Test
        void validate_claimsChangedAfterSigning_rejected() {
            String token = rs256(claims());
            Map<String, Object> elevated = claims();
            elevated.put("sub", "auth0|admin");
            String[] parts = token.split("\\.");

            assertRejected(parts[0] + "." + encode(elevated) + "." + parts[2], "invalid signature");
        }

        @Test
        @DisplayName("A key source that fails with no keys makes the issuer unavailable (503), not the token bad")
        void validate_keySourceFails_issuerUnavailable() {
            JWKSource<SecurityContext> failing = (selector, context) -> {
                throw new KeySourceException("connection refused");
            };
            IdTokenValidator broken = builder().jwkSource(failing).build();

            assertThatThrownBy(() -> broken.validate(rs256(claims())))
                    .isInstanceOf(IssuerUnavailableException.class)
                    .hasMessageContaining("the configured JWK source of issuer " + ISSUER + " failed: connection refused");
        }
    }

    @Nested
    class Issuer {

        @Test
        void validate_otherIssuer_rejected() {
            assertRejected(rs256With(c -> c.put("iss", "https://evil.example/")),
                    "issuer \"https://evil.example/\" is not the configured issuer \"https://tenant.example.auth0.com/\"");
        }

        @Test
        @DisplayName("The issuer is compared exactly: a missing trailing slash is another issuer")
        void validate_issuerWithoutTrailingSlash_rejected() {
            assertRejected(rs256With(c -> c.put("iss", "https://tenant.example.auth0.com")), "is not the configured issuer");
        }

        @Test
        void validate_noIssuer_rejected() {
            assertRejected(rs256With(c -> c.remove("iss")), "no iss (issuer) claim");
        }

        @Test
        void validate_issuerNotAString_rejected() {
            assertRejected(rs256With(c -> c.put("iss", List.of(ISSUER.toString()))), "claim iss is not a string");
        }
    }

    @Nested
    class Audience {

        @Test
        void validate_audienceArrayWithClientIdOnly_accepted() {
            assertThat(validator.validate(rs256With(c -> c.put("aud", List.of(CLIENT_ID)))).subject()).isEqualTo(SUBJECT);
        }

        @Test
        void validate_noAudience_rejected() {
            assertRejected(rs256With(c -> c.remove("aud")), "no aud (audience) claim");
        }

        @Test
        void validate_audienceWithoutClientId_rejected() {
            assertRejected(rs256With(c -> c.put("aud", "someone-else")),
                    "audience [\"someone-else\"] does not contain the client id \"client-123\"");
        }

        @Test
        @DisplayName("A token naming the client id and an untrusted audience is rejected, though Nimbus's default would accept it")
        void validate_untrustedExtraAudience_rejected() {
            String token = rs256With(c -> {
                c.put("aud", List.of(CLIENT_ID, "https://other-api.example"));
                c.put("azp", CLIENT_ID);
            });

            assertRejected(token, "contains \"https://other-api.example\", which is neither the client id nor a trusted audience");
        }

        @Test
        void validate_trustedExtraAudienceWithAzp_accepted() {
            IdTokenValidator trusting = builder().trustedAudiences(List.of("https://api.example")).build();
            String token = rs256With(c -> {
                c.put("aud", List.of(CLIENT_ID, "https://api.example"));
                c.put("azp", CLIENT_ID);
            });

            assertThat(trusting.validate(token).subject()).isEqualTo(SUBJECT);
        }

        @Test
        void validate_severalAudiencesWithoutAzp_rejected() {
            IdTokenValidator trusting = builder().trustedAudiences(List.of("https://api.example")).build();
            String token = rs256With(c -> c.put("aud", List.of(CLIENT_ID, "https://api.example")));

            assertRejected(trusting, token, null, "several audiences [\"client-123\", \"https://api.example\"] and no azp (authorized party) claim");
        }

        @Test
        void validate_azpOfAnotherParty_rejected() {
            IdTokenValidator trusting = builder().trustedAudiences(List.of("https://api.example")).build();
            String severalAudiences = rs256With(c -> {
                c.put("aud", List.of(CLIENT_ID, "https://api.example"));
                c.put("azp", "https://api.example");
            });
            String oneAudience = rs256With(c -> c.put("azp", "other-client"));

            assertRejected(trusting, severalAudiences, null, "azp (authorized party) \"https://api.example\" is not the client id");
            assertRejected(oneAudience, "azp (authorized party) \"other-client\" is not the client id \"client-123\"");
        }

        @Test
        void validate_azpEqualToClientIdWithOneAudience_accepted() {
            assertThat(validator.validate(rs256With(c -> c.put("azp", CLIENT_ID))).subject()).isEqualTo(SUBJECT);
        }

        @Test
        void validate_audienceNotStrings_rejected() {
            assertRejected(rs256With(c -> c.put("aud", List.of(1, 2))), "claim aud is not a string or an array of strings");
        }
    }

    @Nested
    class Times {

        @Test
        void validate_noExpiration_rejected() {
            assertRejected(rs256With(c -> c.remove("exp")), "no exp (expiration time) claim");
        }

        @Test
        void validate_expiredBeyondClockSkew_rejected() {
            assertRejected(rs256With(c -> c.put("exp", NOW.getEpochSecond() - 61)), "expired at 2025-06-01T11:58:59Z");
        }

        @Test
        void validate_expiredWithinClockSkew_accepted() {
            assertThat(validator.validate(rs256With(c -> c.put("exp", NOW.getEpochSecond() - 59))).subject()).isEqualTo(SUBJECT);
        }

        @Test
        void validate_expiredWithZeroClockSkew_rejected() {
            IdTokenValidator strict = builder().clockSkew(Duration.ZERO).build();

            assertRejected(strict, rs256With(c -> c.put("exp", NOW.getEpochSecond())), null, "expired at");
        }

        @Test
        @DisplayName("A string exp is rejected, not ignored: a token must not live forever by quoting its expiry")
        void validate_expirationAsString_rejected() {
            assertRejected(rs256With(c -> c.put("exp", String.valueOf(NOW.getEpochSecond() + 3600))),
                    "claim exp is not a JSON number");
        }

        @Test
        void validate_notBeforeInTheFuture_rejected() {
            assertRejected(rs256With(c -> c.put("nbf", NOW.getEpochSecond() + 120)), "not valid before (nbf) 2025-06-01T12:02:00Z");
        }

        @Test
        void validate_notBeforeWithinClockSkew_accepted() {
            assertThat(validator.validate(rs256With(c -> c.put("nbf", NOW.getEpochSecond() + 30))).subject()).isEqualTo(SUBJECT);
        }

        @Test
        void validate_notBeforeAsString_rejected() {
            assertRejected(rs256With(c -> c.put("nbf", "0")), "claim nbf is not a JSON number");
        }

        @Test
        void validate_noIssuedAt_rejected() {
            assertRejected(rs256With(c -> c.remove("iat")), "no iat (issued at) claim");
        }

        @Test
        void validate_issuedInTheFuture_rejected() {
            assertRejected(rs256With(c -> c.put("iat", NOW.getEpochSecond() + 120)), "issued at (iat) 2025-06-01T12:02:00Z, in the future");
        }

        @Test
        void validate_issuedLongerAgoThanMaxTokenAge_rejected() {
            String dayOldButUnexpired = rs256With(c -> c.put("iat", NOW.minus(Duration.ofHours(25)).getEpochSecond()));

            assertRejected(dayOldButUnexpired, "more than 86400 s (the maximum token age)");
        }

        @Test
        void validate_issuedWithinConfiguredMaxTokenAge_accepted() {
            IdTokenValidator oneHour = builder().maxTokenAge(Duration.ofHours(1)).build();

            assertThat(oneHour.validate(rs256With(c -> c.put("iat", NOW.getEpochSecond() - 1800))).subject()).isEqualTo(SUBJECT);
            assertRejected(oneHour, rs256With(c -> c.put("iat", NOW.getEpochSecond() - 7200)), null, "more than 3600 s");
        }

        @Test
        void validate_issuedAtAsString_rejected() {
            assertRejected(rs256With(c -> c.put("iat", String.valueOf(NOW.getEpochSecond()))), "claim iat is not a JSON number");
        }

        @Test
        void validate_absurdExpiration_rejected() {
            assertRejected(rs256With(c -> c.put("exp", 1e300)), "claim exp is out of range");
        }
    }

    @Nested
    class Subject {

        @Test
        void validate_noSubject_rejected() {
            assertRejected(rs256With(c -> c.remove("sub")), "no sub (subject) claim");
        }

        @Test
        void validate_blankSubject_rejected() {
            assertRejected(rs256With(c -> c.put("sub", "  ")), "sub (subject) is blank");
        }

        @Test
        @DisplayName("A numeric sub is rejected, though Nimbus would turn it into a string")
        void validate_numericSubject_rejected() {
            assertRejected(rs256With(c -> c.put("sub", 12345)), "claim sub is not a string");
        }
    }

    @Nested
    class Nonce {

        @Test
        void validate_expectedNonceMatches_accepted() {
            assertThat(validator.validate(rs256With(c -> c.put("nonce", "n-0S6_WzA2Mj")), "n-0S6_WzA2Mj").subject()).isEqualTo(SUBJECT);
        }

        @Test
        void validate_expectedNonceMissing_rejected() {
            assertRejected(validator, rs256(claims()), "n-0S6_WzA2Mj", "no nonce claim, but a nonce was expected");
        }

        @Test
        void validate_otherNonce_rejectedWithoutSayingEither() {
            String token = rs256With(c -> c.put("nonce", "replayed-nonce"));

            assertRejected(validator, token, "n-0S6_WzA2Mj", "nonce does not match the expected nonce");
            assertThatThrownBy(() -> validator.validate(token, "n-0S6_WzA2Mj"))
                    .message().doesNotContain("replayed-nonce").doesNotContain("n-0S6_WzA2Mj");
        }

        @Test
        void validate_nonceInTokenButNoneExpected_accepted() {
            assertThat(validator.validate(rs256With(c -> c.put("nonce", "whatever"))).subject()).isEqualTo(SUBJECT);
        }

        @Test
        void validate_nonceNotAString_rejected() {
            assertRejected(validator, rs256With(c -> c.put("nonce", 42)), "42", "claim nonce is not a string");
        }
    }

    @Nested
    class Identity {

        @Test
        void validate_goodToken_fillsEveryField() {
            String token = rs256With(c -> {
                c.put("email", "Jane@Example.com");
                c.put("email_verified", true);
                c.put("groups", List.of("admins", "staff"));
            });

            VerifiedIdentity identity = validator.validate(token);

            assertThat(identity.issuer()).isEqualTo("https://tenant.example.auth0.com/");
            assertThat(identity.subject()).isEqualTo(SUBJECT);
            assertThat(identity.connectionType()).isEqualTo(ConnectionType.DATABASE);
            assertThat(identity.connectionName()).isEqualTo("auth0");
            assertThat(identity.groups()).containsExactly("admins", "staff");
            assertThat(identity.email()).isEqualTo("Jane@Example.com");
            assertThat(identity.emailDomain()).contains("example.com");
            assertThat(identity.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
            assertThat(identity.claims()).containsEntry("exp", NOW.getEpochSecond() + 3600).containsEntry("aud", CLIENT_ID);
        }

        @Test
        void validate_namespacedGroupsClaim_read() {
            IdTokenValidator auth0Style = builder().groupsClaim("https://example.com/groups").build();
            String token = rs256With(c -> c.put("https://example.com/groups", List.of("buyers")));

            assertThat(auth0Style.validate(token).groups()).containsExactly("buyers");
            assertThat(validator.validate(token).groups()).isEmpty();
        }

        @Test
        void validate_groupsAsSingleString_oneGroup() {
            assertThat(validator.validate(rs256With(c -> c.put("groups", "admins"))).groups()).containsExactly("admins");
        }

        @Test
        void validate_groupsOfAnotherType_rejected() {
            assertRejected(rs256With(c -> c.put("groups", Map.of("name", "admins"))),
                    "groups claim \"groups\" is not a string or an array of strings");
        }

        @Test
        @DisplayName("An unverified email is not exposed as the email, so domain rules cannot be fooled by sign-up")
        void validate_unverifiedEmail_notExposed() {
            String unverified = rs256With(c -> {
                c.put("email", "ceo@example.com");
                c.put("email_verified", false);
            });
            String unstated = rs256With(c -> c.put("email", "ceo@example.com"));

            assertThat(validator.validate(unverified).email()).isNull();
            assertThat(validator.validate(unverified).claims()).containsEntry("email", "ceo@example.com");
            assertThat(validator.validate(unstated).email()).isNull();
            assertThat(builder().requireVerifiedEmail(false).build().validate(unverified).email()).isEqualTo("ceo@example.com");
        }

        @Test
        void validate_nestedClaims_plainUnmodifiableJavaValues() {
            String token = rs256With(c -> {
                c.put("address", Map.of("country", "NZ", "lines", List.of("1 Queen St")));
                c.put("score", 1.5);
                c.put("flag", true);
            });

            Map<String, Object> claims = validator.validate(token).claims();

            assertThat(claims.get("address")).isInstanceOf(Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> address = (Map<String, Object>) claims.get("address");
            assertThat(address).containsEntry("country", "NZ");
            assertThat(address.get("lines")).isEqualTo(List.of("1 Queen St"));
            assertThat(claims).containsEntry("score", 1.5).containsEntry("flag", true).containsEntry("iat", NOW.getEpochSecond() - 10);
            assertThatThrownBy(() -> address.put("country", "AU")).isInstanceOf(UnsupportedOperationException.class);
            @SuppressWarnings("unchecked")
            List<Object> lines = (List<Object>) address.get("lines");
            assertThatThrownBy(() -> lines.add("2")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void validate_configuredConnectionResolver_used() {
            IdTokenValidator keycloak = builder()
                    .connectionResolver(ConnectionResolver.fromClaim("identity_provider", Map.of("google", ConnectionType.SOCIAL)))
                    .build();

            VerifiedIdentity identity = keycloak.validate(rs256With(c -> c.put("identity_provider", "google")));

            assertThat(identity.connectionType()).isEqualTo(ConnectionType.SOCIAL);
            assertThat(identity.connectionName()).isEqualTo("google");
        }

        @Test
        void validate_resolverAnsweringNull_unknownConnection() {
            IdTokenValidator lazy = builder().connectionResolver((subject, claims) -> null).build();

            assertThat(lazy.validate(rs256(claims())).connectionType()).isEqualTo(ConnectionType.UNKNOWN);
        }

        @Test
        void toString_namesConfigurationOnly() {
            assertThat(validator).hasToString("IdTokenValidator[issuer=https://tenant.example.auth0.com/, clientId=client-123, algorithms=[RS256]]");
        }
    }

    @Nested
    class Cache {

        @Test
        @DisplayName("A token validated once is answered from the cache: no key is selected, so no signature is verified")
        void validate_sameTokenTwice_verifiesOnce() {
            String token = rs256(claims());

            VerifiedIdentity first = validator.validate(token);
            VerifiedIdentity second = validator.validate(token);

            assertThat(second).isSameAs(first);
            assertThat(keys.selections()).isEqualTo(1);
        }

        @Test
        @DisplayName("The cache is looked up before the shape check, yet a cached token with a character that is not "
                + "base64url (appended, or in place of one: non-ASCII, NUL) is no hit: it is checked, and refused for its shape")
        void validate_cachedTokenWithForeignCharacter_refusedForShape() {
            String token = rs256(claims());
            validator.validate(token);

            for (String altered : List.of(token + "\u00e9", token.substring(0, 10) + "\u00e9" + token.substring(11),
                    token.substring(0, 10) + "?" + token.substring(11), token + "\u0000", token + "\ud83d\ude00")) {
                assertRejected(altered, "is not base64url");
            }
            assertThat(keys.selections()).isEqualTo(1);
        }

        @Test
        void validate_sameTokenWithAndWithoutNonce_cachedSeparately() {
            String token = rs256With(c -> c.put("nonce", "n1"));

            validator.validate(token);
            validator.validate(token, "n1");
            validator.validate(token, "n1");
            assertRejected(validator, token, "n2", "nonce does not match");

            assertThat(keys.selections()).isEqualTo(3);
        }

        @Test
        @DisplayName("A cached token is rejected once the clock passes its exp plus the clock skew")
        void validate_cachedTokenExpired_rejected() {
            String token = rs256(claims());
            validator.validate(token);

            clock.advance(Duration.ofSeconds(3600 + 59));
            assertThat(validator.validate(token).subject()).isEqualTo(SUBJECT);
            assertThat(keys.selections()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(1));
            assertRejected(token, "expired at 2025-06-01T13:00:00Z");
        }

        @Test
        void validate_cachedTokenOlderThanMaxTokenAge_rejected() {
            IdTokenValidator halfHour = builder().maxTokenAge(Duration.ofMinutes(30)).build();
            String token = rs256(claims());
            halfHour.validate(token);

            clock.advance(Duration.ofMinutes(30));

            assertRejected(halfHour, token, null, "more than 1800 s (the maximum token age)");
        }

        @Test
        @DisplayName("A token cached as validated without a nonce is not taken as validated with an empty nonce")
        void validate_emptyExpectedNonce_notServedFromTheNoNonceEntry() {
            String token = rs256(claims());
            validator.validate(token);

            assertRejected(validator, token, "", "no nonce claim, but a nonce was expected");
        }

        @Test
        void validate_cacheSizeZero_verifiesEveryTime() {
            IdTokenValidator uncached = builder().validatedTokenCacheSize(0).build();
            String token = rs256(claims());

            uncached.validate(token);
            uncached.validate(token);

            assertThat(keys.selections()).isEqualTo(2);
        }

        @Test
        void validate_rejectedToken_notCached() {
            String token = rs256With(c -> c.put("aud", "someone-else"));

            assertRejected(token, "does not contain the client id");
            assertRejected(token, "does not contain the client id");

            assertThat(keys.selections()).isEqualTo(2);
        }

        @Test
        void validate_cacheFull_evictsButStillValidates() {
            IdTokenValidator tiny = builder().validatedTokenCacheSize(1).build();
            String first = rs256With(c -> c.put("jti", "1"));
            String second = rs256With(c -> c.put("jti", "2"));

            tiny.validate(first);
            tiny.validate(second);
            tiny.validate(first);

            assertThat(keys.selections()).isEqualTo(3);
        }
    }

    @Test
    void discover_withConfiguredKeys_fetchesThem() {
        validator.discover();

        assertThat(keys.selections()).isEqualTo(1);
    }

    @Test
    void validate_afterClose_illegalState() {
        validator.close();

        assertThatThrownBy(() -> validator.validate(rs256(claims())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    /** Counts key selections: each one is a signature verification about to happen. */
    static final class CountingJwkSource implements JWKSource<SecurityContext> {

        private final JWKSource<SecurityContext> delegate;
        private final AtomicInteger selections = new AtomicInteger();

        CountingJwkSource(JWKSource<SecurityContext> delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
            selections.incrementAndGet();
            return delegate.get(selector, context);
        }

        int selections() {
            return selections.get();
        }
    }
}

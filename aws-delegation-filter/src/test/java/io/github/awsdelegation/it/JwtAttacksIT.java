package io.github.awsdelegation.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JWT attack catalogue (RFC 8725 and the public attack write-ups) against the running filter over HTTP:
 * every attack gets 401 with a reason, never a 500, never a stack trace, and never reaches STS.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JwtAttacksIT {

    @Deployment(testable = false)
    static WebArchive shop() {
        ItEnvironment env = ItEnvironment.get();
        return ItEnvironment.war("attacked", ItConfig.of(env.aws)
                .rule("everyone", null, ItConfig.role(Demo.BUYER_ROLE_ARN)));
    }

    @ArquillianResource
    URL base;

    /**
     * The JWKS refetch rate-limit interval for the default JWKS cache lifetime (5 minutes): Nimbus's default, as
     * RemoteJwks caps it at half the cache lifetime.
     */
    static final Duration RATE_LIMIT_INTERVAL = Duration.ofMillis(JWKSourceBuilder.DEFAULT_RATE_LIMIT_MIN_INTERVAL);

    final LocalIdentityProvider idp = ItEnvironment.get().aws.identityProvider();
    final LocalSts sts = ItEnvironment.get().aws.sts();

    /** Sends the token and checks the answer is a clean 401; returns the reason given. */
    String rejected(String attack, String token) {
        int stsCalls = sts.callCount("AssumeRoleWithWebIdentity");
        HttpResponse<String> response = Http.bearer(URI.create(base + "whoami"), token);
        assertThat(response.statusCode()).as(attack + ": " + response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).as(attack)
                .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer error=\"invalid_token\""));
        assertThat(response.body()).as(attack).startsWith("{\"status\":401").doesNotContain("Exception")
                .doesNotContain("\tat ").doesNotContain(".java:");
        assertThat(sts.callCount("AssumeRoleWithWebIdentity")).as(attack + " reached STS").isEqualTo(stsCalls);
        return response.body();
    }

    String valid() {
        return idp.newIdToken().subject("amazon|" + UUID.randomUUID()).sign();
    }

    static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The token's claims part with another header and signature. */
    static String reheader(String token, String headerJson, String signature) {
        return b64(headerJson) + "." + token.split("\\.")[1] + "." + signature;
    }

    static String signedByAttacker(RSAKey attacker, JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(attacker));
        return jwt.serialize();
    }

    @Test
    @DisplayName("alg none, in every spelling, with and without a signature")
    void algNone() {
        String token = valid();
        assertThat(rejected("none", idp.newIdToken().subject("amazon|x").signWithAlgorithm("none"))).contains("alg none");
        for (String spelling : new String[] {"none", "None", "NONE", "nOnE"}) {
            rejected(spelling, reheader(token, "{\"alg\":\"" + spelling + "\",\"typ\":\"JWT\"}", ""));
            rejected(spelling + " with signature", reheader(token, "{\"alg\":\"" + spelling + "\"}", token.split("\\.")[2]));
        }
    }

    @Test
    @DisplayName("HS256 signed with the issuer's RSA public key (algorithm confusion)")
    void hmacWithPublicKey() {
        assertThat(rejected("HS256", idp.newIdToken().subject("amazon|x").signWithAlgorithm("HS256"))).contains("not allowed");
    }

    @Test
    @DisplayName("keys carried by the token: embedded jwk, jku and x5u pointing elsewhere")
    void keysFromTheToken() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(idp.currentKeyId()).generate();
        JWTClaimsSet claims = SignedJWT.parse(valid()).getJWTClaimsSet();
        int jwksFetches = idp.jwksRequestCount();

        rejected("embedded jwk", signedByAttacker(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .jwk(attacker.toPublicJWK()).keyID(attacker.getKeyID()).build(), claims));
        rejected("jku", signedByAttacker(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .jwkURL(URI.create("http://127.0.0.1:9/attacker/jwks.json")).keyID(attacker.getKeyID()).build(), claims));
        rejected("x5u", signedByAttacker(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .x509CertURL(URI.create("http://127.0.0.1:9/attacker.pem")).keyID(attacker.getKeyID()).build(), claims));
        rejected("attacker key under the issuer's kid", signedByAttacker(attacker,
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(attacker.getKeyID()).type(JOSEObjectType.JWT).build(), claims));

        assertThat(idp.jwksRequestCount() - jwksFetches).as("JWKS fetches caused").isLessThanOrEqualTo(1);
    }

    @Test
    @DisplayName("kid traversal and injection strings")
    void kidInjection() {
        for (String kid : new String[] {"../../../../../../dev/null", "' OR '1'='1", "\"; DROP TABLE keys; --",
                "kid\r\nX-Injected: 1", "${jndi:ldap://127.0.0.1:9/a}", "", "x".repeat(5000)}) {
            rejected("kid " + kid.length(), idp.newIdToken().subject("amazon|x").keyId(kid).signWithForeignKey());
        }
    }

    @Test
    @DisplayName("a flood of unknown kids keeps JWKS fetches rate-limited: at most two per rate-limit window")
    void unknownKidFlood() {
        int before = idp.jwksRequestCount();
        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            rejected("unknown kid " + i, idp.newIdToken().subject("amazon|x").keyId("flood-" + i).signWithForeignKey());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        int fetches = idp.jwksRequestCount() - before;

        // What is promised (RemoteJwks, Nimbus's RateLimitedJWKSetSource): a window opens at a fetch, lasts the
        // rate-limit interval and allows two fetches; the next window opens no earlier than the interval after it.
        // So the windows that overlap the flood number at most elapsed / interval + 2, and the first of those, when
        // it opened before the flood, spent its opening fetch before it: on an idle machine (flood shorter than the
        // interval) that is at most 3 fetches for 50 unknown kids, and it grows with the windows, never with the kids.
        int windows = Math.toIntExact(elapsed.toMillis() / RATE_LIMIT_INTERVAL.toMillis() + 2);
        assertThat(fetches).as("JWKS fetches for 50 unknown kids over %s (rate-limit interval %s)", elapsed,
                RATE_LIMIT_INTERVAL).isLessThanOrEqualTo(2 * windows - 1);
        assertThat(Http.bearer(URI.create(base + "whoami"), valid()).statusCode()).as("valid tokens still pass").isEqualTo(200);
    }

    @Test
    @DisplayName("time claims: expired, not yet valid, and string-typed exp, nbf and iat")
    void timeClaims() {
        Instant now = Instant.now();
        assertThat(rejected("expired", idp.newIdToken().issuedAt(now.minus(Duration.ofHours(2)))
                .expiresAt(now.minus(Duration.ofMinutes(5))).sign())).contains("expired");
        rejected("not yet valid", idp.newIdToken().notBefore(now.plus(Duration.ofMinutes(10))).sign());
        rejected("issued in the future", idp.newIdToken().issuedAt(now.plus(Duration.ofMinutes(10))).sign());
        rejected("string exp", idp.newIdToken().claim("exp", String.valueOf(now.plusSeconds(3600).getEpochSecond())).sign());
        rejected("string nbf", idp.newIdToken().claim("nbf", String.valueOf(now.getEpochSecond())).sign());
        rejected("string iat", idp.newIdToken().claim("iat", String.valueOf(now.getEpochSecond())).sign());
        rejected("no exp", idp.newIdToken().withoutClaim("exp").sign());
    }

    @Test
    @DisplayName("audience, issuer and subject: wrong, extra, missing")
    void identityClaims() {
        assertThat(rejected("wrong audience", idp.newIdToken().audience("another-app").sign())).contains("audience");
        rejected("extra untrusted audience", idp.newIdToken().audience(Demo.CLIENT_ID, "https://evil.example.com").azp(Demo.CLIENT_ID).sign());
        rejected("two audiences, no azp", idp.newIdToken().audience(Demo.CLIENT_ID, "another-app").sign());
        assertThat(rejected("wrong issuer", idp.newIdToken().issuer("https://evil.example.com/").sign())).contains("issuer");
        rejected("issuer without trailing slash", idp.newIdToken().issuer(idp.issuer().toString().replaceAll("/$", "")).sign());
        rejected("missing sub", idp.newIdToken().withoutClaim("sub").sign());
        rejected("missing aud", idp.newIdToken().withoutClaim("aud").sign());
    }

    @Test
    @DisplayName("token type confusion: access, refresh and logout tokens of the issuer, aud = client id, are not ID tokens")
    void otherTokenTypes() {
        Map<String, Object> logoutEvent = Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of());
        String admin = "auth0|" + UUID.randomUUID();
        assertThat(rejected("RFC 9068 access token", idp.newIdToken().subject(admin).type("at+jwt")
                .claim("client_id", Demo.CLIENT_ID).claim("scope", "openid profile").sign()))
                .contains("ID token rejected: this is an access token (header typ \\\"at+jwt\\\", RFC 9068), not an ID token; send the ID token");
        assertThat(rejected("RFC 9068 media type", idp.newIdToken().subject(admin).type("application/at+jwt").sign()))
                .contains("this is an access token");
        assertThat(rejected("back-channel logout token", idp.newIdToken().subject(admin).type("logout+jwt")
                .claim("events", logoutEvent).claim("sid", "s1").sign())).contains("this is a logout token");
        assertThat(rejected("logout token with typ JWT", idp.newIdToken().subject(admin).claim("events", logoutEvent).sign()))
                .contains("this is a logout token (claim events with the back-channel logout event)");
        // The incident of issue 12: Keycloak's access token, given the client id as audience by a mapper.
        assertThat(rejected("Keycloak access token", idp.newIdToken().subject(admin).claim("typ", "Bearer").azp(Demo.CLIENT_ID)
                .claim("scope", "openid profile email").sign())).contains("this is an access token (claim typ \\\"Bearer\\\")");
        assertThat(rejected("Keycloak refresh token", idp.newIdToken().subject(admin).claim("typ", "Refresh").sign()))
                .contains("this is a refresh token");
        assertThat(rejected("Keycloak offline token", idp.newIdToken().subject(admin).claim("typ", "Offline").sign()))
                .contains("this is a refresh token");
        assertThat(rejected("Keycloak logout token", idp.newIdToken().subject(admin).claim("typ", "Logout")
                .claim("events", logoutEvent).sign())).contains("this is a logout token");
        assertThat(rejected("Okta access token", idp.newIdToken().subject(admin).claim("ver", 1).claim("cid", Demo.CLIENT_ID)
                .claim("uid", "00u1").claim("scp", java.util.List.of("openid", "email")).sign())).contains("this is an access token (claim scp)");
        assertThat(rejected("Entra ID v1 access token", idp.newIdToken().subject(admin).claim("ver", "1.0").claim("appid", Demo.CLIENT_ID)
                .claim("appidacr", "1").claim("scp", "User.Read").sign())).contains("this is an access token (claim scp)");
        assertThat(rejected("Entra ID v2 app-only token", idp.newIdToken().subject(admin).claim("ver", "2.0").azp(Demo.CLIENT_ID)
                .claim("azpacr", "1").claim("roles", java.util.List.of("Pets.Admin")).claim("idtyp", "app").sign()))
                .contains("this is an access token (claim azpacr)");
        assertThat(rejected("Cognito access token", idp.newIdToken().subject(admin).withoutClaim("aud").claim("token_use", "access")
                .claim("client_id", Demo.CLIENT_ID).claim("scope", "aws.cognito.signin.user.admin").sign()))
                .contains("this is an access token (claim token_use \\\"access\\\")");
        assertThat(rejected("Auth0 access token", idp.newIdToken().subject(admin)
                .audience(Demo.CLIENT_ID, idp.issuer() + "userinfo").azp(Demo.CLIENT_ID).claim("scope", "openid profile").sign()))
                .contains("this is an access token (claim scope)");
        assertThat(rejected("Auth0 client-credentials token", idp.newIdToken().subject(admin).claim("gty", "client-credentials").sign()))
                .contains("this is an access token (claim gty)");

        assertThat(Http.bearer(URI.create(base + "whoami"), idp.newIdToken().subject(admin).claim("typ", "ID")
                .claim("token_use", "id").sign()).statusCode()).as("ID tokens marked as such still pass").isEqualTo(200);
    }

    @Test
    @DisplayName("ES256 psychic signature (r = s = 0)")
    void psychicSignature() {
        String token = valid();
        String zeros = Base64URL.encode(new byte[64]).toString();
        rejected("psychic", reheader(token, "{\"alg\":\"ES256\",\"kid\":\"" + idp.currentKeyId() + "\"}", zeros));
    }

    @Test
    @DisplayName("malformed input: truncated, oversized, deeply nested, not UTF-8, not base64url, empty")
    void malformed() {
        String token = valid();
        rejected("truncated signature", token.substring(0, token.length() - 10));
        rejected("no signature", token.substring(0, token.lastIndexOf('.') + 1));
        rejected("two parts", token.substring(0, token.lastIndexOf('.')));
        rejected("long", token + "A".repeat(6_000));
        // Past the container's header limit (Tomcat: 8 KB by default) the request never reaches the filter: the
        // container answers 400 itself (docs/security.md). The filter's own limit, STS's 20,000 characters,
        // is unit-tested in IdTokenValidatorTest.
        int stsCalls = sts.callCount("AssumeRoleWithWebIdentity");
        assertThat(Http.bearer(URI.create(base + "whoami"), token + "A".repeat(25_000)).statusCode()).isEqualTo(400);
        assertThat(sts.callCount("AssumeRoleWithWebIdentity")).isEqualTo(stsCalls);
        String nested = "[".repeat(2_000) + "]".repeat(2_000); // far past any JSON parser's nesting limit, within the header limit
        rejected("deeply nested header", b64("{\"alg\":\"RS256\",\"x\":" + nested + "}") + "." + token.split("\\.")[1] + "." + token.split("\\.")[2]);
        rejected("deeply nested claims", token.split("\\.")[0] + "." + b64("{\"sub\":" + nested + "}") + "." + token.split("\\.")[2]);
        byte[] notUtf8 = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE};
        rejected("non-UTF-8 header", Base64URL.encode(notUtf8) + "." + token.split("\\.")[1] + "." + token.split("\\.")[2]);
        rejected("not base64url", token.replace('-', '+').replace('_', '/') + "==");
        rejected("JWE shape", "a.b.c.d.e");
        rejected("garbage", "Bearer");
        HttpResponse<String> emptyBearer = Http.get(URI.create(base + "whoami"), Map.of("Authorization", "Bearer "));
        assertThat(emptyBearer.statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("the reasons name the check, never echo the token")
    void reasons_doNotEchoTheToken() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("forged", idp.newIdToken().signWithForeignKey());
        tokens.put("expired", idp.newIdToken().issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).sign());
        tokens.forEach((attack, token) -> {
            String body = rejected(attack, token);
            for (String part : token.split("\\.")) {
                assertThat(body).as(attack).doesNotContain(part);
            }
        });
    }
}

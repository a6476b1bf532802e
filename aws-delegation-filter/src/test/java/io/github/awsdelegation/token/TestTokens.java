package io.github.awsdelegation.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Real keys and tokens for the validator tests: an issuer with a 2048-bit RSA key and a P-256 key, and
 * helpers that sign any header and claims as raw JSON, so that malformed tokens (string {@code exp},
 * {@code alg: None}, embedded keys) can be built as well as good ones.
 */
final class TestTokens {

    static final URI ISSUER = URI.create("https://tenant.example.auth0.com/");
    static final String CLIENT_ID = "client-123";
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final String SUBJECT = "auth0|5f7c8ec7c33c6c004bbafe82";

    static final RSAKey RSA = generateRsa("rsa-1", 2048);
    static final ECKey EC = generateEc("ec-1", Curve.P_256);

    private TestTokens() {
    }

    static RSAKey generateRsa(String kid, int bits) {
        try {
            // allowWeakKey: the 1024-bit key is generated on purpose, to check that it is refused.
            return new RSAKeyGenerator(bits, bits < 2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey generateEc(String kid, Curve curve) {
        try {
            return new ECKeyGenerator(curve).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The issuer's JWKS: the public halves of the given keys. */
    static JWKSource<SecurityContext> jwks(JWK... keys) {
        return new ImmutableJWKSet<>(new JWKSet(List.of(keys).stream().map(JWK::toPublicJWK).toList()));
    }

    /** Claims of a good token: iss, sub, aud, iat ten seconds ago, exp in an hour. */
    static Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER.toString());
        claims.put("sub", SUBJECT);
        claims.put("aud", CLIENT_ID);
        claims.put("iat", NOW.getEpochSecond() - 10);
        claims.put("exp", NOW.getEpochSecond() + 3600);
        return claims;
    }

    /** The header of a good token signed by {@code key}: alg, typ JWT, kid. */
    static Map<String, Object> header(JWSAlgorithm alg, JWK key) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg.getName());
        header.put("typ", "JWT");
        header.put("kid", key.getKeyID());
        return header;
    }

    /** A good token: RS256 with {@link #RSA}, with the given claims. */
    static String rs256(Map<String, Object> claims) {
        return sign(header(JWSAlgorithm.RS256, RSA), claims, RSA);
    }

    /** A good token with the default claims changed by {@code change}. */
    static String rs256With(java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> claims = claims();
        change.accept(claims);
        return rs256(claims);
    }

    /** Signs header and claims with the private key, using the header's alg. */
    static String sign(Map<String, Object> header, Map<String, Object> claims, JWK key) {
        return signRaw(JSONObjectUtils.toJSONString(header), JSONObjectUtils.toJSONString(claims), key);
    }

    /** Signs header and claims given as JSON text, which may be what no JSON library would write. */
    static String signRaw(String headerJson, String claimsJson, JWK key) {
        String signingInput = Base64URL.encode(headerJson) + "." + Base64URL.encode(claimsJson);
        JWSAlgorithm alg;
        try {
            alg = JWSAlgorithm.parse((String) JSONObjectUtils.parse(headerJson).get("alg"));
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(e);
        }
        try {
            // allowWeakKey, so that tokens signed by the 1024-bit test key can be built.
            JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa, Set.of(AllowWeakRSAKey.getInstance())) : new ECDSASigner((ECKey) key);
            Base64URL signature = signer.sign(new JWSHeader(alg), signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + signature;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String encode(Map<String, Object> json) {
        return Base64URL.encode(JSONObjectUtils.toJSONString(json)).toString();
    }

    /** The signature part of a compact token, which no message may contain. */
    static String signaturePart(String token) {
        return token.substring(token.lastIndexOf('.') + 1);
    }
}

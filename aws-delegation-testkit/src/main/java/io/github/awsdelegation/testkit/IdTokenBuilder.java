package io.github.awsdelegation.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.github.awsdelegation.testkit.internal.SigningKeyRing;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds an ID token signed by a {@link LocalIdentityProvider}, for tests. Starts from the provider's defaults
 * ({@code iss}, {@code aud} = first client id, {@code sub}, {@code iat} = now, {@code exp} = now plus the ID token
 * lifetime); every claim can be overridden or removed to build the invalid tokens a validator must refuse.
 * Not thread-safe; build one token per builder.
 */
public final class IdTokenBuilder {

    /** The subject of {@link LocalIdentityProvider#newIdToken()} unless one is set. */
    public static final String DEFAULT_SUBJECT = "auth0|0123456789abcdef01234567";

    private static final Set<String> TIME_CLAIMS = Set.of("exp", "iat", "nbf", "auth_time");

    private final LocalIdentityProvider provider;
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private Duration expiresIn;
    private String keyId;
    private JOSEObjectType type = JOSEObjectType.JWT;

    IdTokenBuilder(LocalIdentityProvider provider) {
        this.provider = provider;
        claims.put("iss", provider.issuer().toString());
        claims.put("sub", DEFAULT_SUBJECT);
        claims.put("aud", provider.clientIds().get(0));
    }

    /** Fills in the claims the token endpoint issues for {@code user} (scopes openid profile email). */
    IdTokenBuilder user(UserAccount user) {
        claims.put("sub", user.subject());
        claims.put("name", user.name());
        claims.put("nickname", user.nickname());
        claims.put("email", user.email());
        claims.put("email_verified", true);
        if (user.isDatabaseUser()) {
            claims.put(provider.groupsClaim(), user.groups());
        }
        return this;
    }

    /** Sets {@code sub}. */
    public IdTokenBuilder subject(String subject) {
        return claim("sub", subject);
    }

    /** Sets {@code aud}: a string for one audience, an array for several. */
    public IdTokenBuilder audience(String... audiences) {
        if (audiences.length == 0) {
            throw new IllegalArgumentException("audience: give at least one, or use withoutClaim(\"aud\")");
        }
        return claim("aud", audiences.length == 1 ? audiences[0] : List.of(audiences));
    }

    /** Sets {@code iss}. */
    public IdTokenBuilder issuer(String issuer) {
        return claim("iss", issuer);
    }

    /** Sets {@code exp}. */
    public IdTokenBuilder expiresAt(Instant expiresAt) {
        this.expiresIn = null;
        return claim("exp", expiresAt);
    }

    /** Sets {@code exp} to the provider clock's now, at {@link #sign()} time, plus {@code lifetime}; may be negative. */
    public IdTokenBuilder expiresIn(Duration lifetime) {
        claims.remove("exp");
        this.expiresIn = Objects.requireNonNull(lifetime, "lifetime");
        return this;
    }

    /** Sets {@code iat} (by default, now at {@link #sign()} time). */
    public IdTokenBuilder issuedAt(Instant issuedAt) {
        return claim("iat", issuedAt);
    }

    /** Sets {@code nbf} (absent by default, as in Auth0's tokens). */
    public IdTokenBuilder notBefore(Instant notBefore) {
        return claim("nbf", notBefore);
    }

    /** Sets {@code auth_time} (by default, the {@code iat}). */
    public IdTokenBuilder authTime(Instant authTime) {
        return claim("auth_time", authTime);
    }

    /** Sets {@code nonce}. */
    public IdTokenBuilder nonce(String nonce) {
        return claim("nonce", nonce);
    }

    /** Sets {@code email} and {@code email_verified: true}. */
    public IdTokenBuilder email(String email) {
        claim("email_verified", true);
        return claim("email", email);
    }

    /** Sets the provider's groups claim ({@link LocalIdentityProvider#groupsClaim()}). */
    public IdTokenBuilder groups(List<String> groups) {
        return claim(provider.groupsClaim(), List.copyOf(groups));
    }

    /** Sets {@code azp}, the authorized party. */
    public IdTokenBuilder azp(String authorizedParty) {
        return claim("azp", authorizedParty);
    }

    /**
     * Sets any claim. Strings, numbers, booleans, lists and maps are written as JSON; an {@link Instant} as epoch
     * seconds; {@code null} removes the claim as {@link #withoutClaim(String)} does.
     */
    public IdTokenBuilder claim(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (value == null) {
            return withoutClaim(name);
        }
        if ("exp".equals(name)) {
            expiresIn = null;
        }
        claims.put(name, value);
        return this;
    }

    /**
     * Removes a claim, including the defaults ({@code iss}, {@code sub}, {@code aud}, {@code iat}, {@code exp},
     * {@code auth_time}).
     */
    public IdTokenBuilder withoutClaim(String name) {
        Objects.requireNonNull(name, "name");
        if ("exp".equals(name)) {
            expiresIn = null;
        }
        if (TIME_CLAIMS.contains(name)) {
            claims.put(name, Absent.INSTANCE);
        } else {
            claims.remove(name);
        }
        return this;
    }

    /** Sets the {@code kid} header (by default, the current signing key's id). */
    public IdTokenBuilder keyId(String kid) {
        this.keyId = kid;
        return this;
    }

    /**
     * Sets the header {@code typ} (by default, {@code JWT}), for tests that other tokens signed by the provider
     * are refused: {@code at+jwt} (RFC 9068 access tokens), {@code logout+jwt} (back-channel logout tokens).
     */
    public IdTokenBuilder type(String typ) {
        this.type = new JOSEObjectType(typ);
        return this;
    }

    /** Returns the token signed RS256 with the provider's current key, header {@code kid} and {@code typ} (by default JWT). */
    public String sign() {
        RSAKey key = provider.keys().current();
        return signJws(JWSAlgorithm.RS256, rsaSigner(key), kid(key));
    }

    /**
     * Returns the token signed RS256 by a fresh key that is not in the JWKS but with the current key's {@code kid}:
     * a forged token whose signature does not verify.
     */
    public String signWithForeignKey() {
        RSAKey foreign = SigningKeyRing.generate("forger", provider.now());
        return signJws(JWSAlgorithm.RS256, rsaSigner(foreign), kid(provider.keys().current()));
    }

    /**
     * Returns the token signed with another algorithm, for tests that a verifier allows RS256 only:
     * {@code RS384}, {@code RS512}, {@code PS256} (with the provider's current key), {@code HS256} (with the current
     * public key's DER bytes as the HMAC secret: the algorithm confusion attack), {@code ES256} (with a fresh EC
     * key) or {@code none} (an unsecured JWT).
     *
     * @throws IllegalArgumentException for another algorithm
     */
    public String signWithAlgorithm(String algorithm) {
        RSAKey current = provider.keys().current();
        try {
            switch (algorithm.toUpperCase(Locale.ROOT)) {
                case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512" -> {
                    return signJws(JWSAlgorithm.parse(algorithm.toUpperCase(Locale.ROOT)), rsaSigner(current), kid(current));
                }
                case "HS256" -> {
                    byte[] secret = current.toRSAPublicKey().getEncoded();
                    return signJws(JWSAlgorithm.HS256, new MACSigner(secret), kid(current));
                }
                case "ES256" -> {
                    return signJws(JWSAlgorithm.ES256, new ECDSASigner(new ECKeyGenerator(Curve.P_256).generate()), kid(current));
                }
                case "NONE" -> {
                    return new PlainJWT(new PlainHeader.Builder().type(JOSEObjectType.JWT).build(), claimsSet()).serialize();
                }
                default -> throw new IllegalArgumentException("signWithAlgorithm: unsupported algorithm '" + algorithm
                        + "'; use RS256, RS384, RS512, PS256, PS384, PS512, HS256, ES256 or none");
            }
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the test token with " + algorithm, e);
        }
    }

    private String kid(RSAKey key) {
        return keyId != null ? keyId : key.getKeyID();
    }

    private static JWSSigner rsaSigner(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String signJws(JWSAlgorithm algorithm, JWSSigner signer, String kid) {
        JWSHeader header = new JWSHeader.Builder(algorithm).type(type).keyID(kid).build();
        SignedJWT jwt = new SignedJWT(header, claimsSet());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the test token", e);
        }
        return jwt.serialize();
    }

    private JWTClaimsSet claimsSet() {
        Instant now = provider.now();
        Map<String, Object> resolved = new LinkedHashMap<>(claims);
        resolved.putIfAbsent("iat", now);
        Instant issuedAt = resolved.get("iat") instanceof Instant instant ? instant : now;
        if (expiresIn != null) {
            resolved.put("exp", now.plus(expiresIn));
        }
        resolved.putIfAbsent("exp", issuedAt.plus(provider.idTokenLifetime()));
        resolved.putIfAbsent("auth_time", issuedAt);
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        resolved.forEach((name, value) -> {
            if (value == Absent.INSTANCE) {
                return;
            }
            if (value instanceof Instant instant) {
                builder.claim(name, TIME_CLAIMS.contains(name) ? Date.from(instant) : instant.getEpochSecond());
            } else {
                builder.claim(name, value);
            }
        });
        return builder.build();
    }

    /** Marks a default claim that the test removed on purpose. */
    private enum Absent {
        INSTANCE
    }
}

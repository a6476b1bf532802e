package io.github.awsdelegation.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.github.awsdelegation.testkit.internal.Loopback;
import io.github.awsdelegation.testkit.internal.StsError;
import io.github.awsdelegation.testkit.internal.TrustPolicyEvaluator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Verifies a web identity token as STS AssumeRoleWithWebIdentity does for an OIDC provider: the issuer must be a
 * registered provider; discovery and the JWKS are fetched over HTTP on every call (as Ceph RGW does, so a key
 * rotation shows at once); the signature must be RS256 by a key of at least 2,048 bits; {@code aud} must hold one
 * of the provider's client ids; {@code exp} must not have passed (no leeway), {@code nbf} must have, and
 * {@code sub} must be present.
 */
final class WebIdentityTokenVerifier {

    static final String TAGS_CLAIM = "https://aws.amazon.com/tags";
    static final String SOURCE_IDENTITY_CLAIM = "https://aws.amazon.com/source_identity";
    private static final String NO_KEY = "Couldn't retrieve verification key from your identity provider,  please"
            + " reference AssumeRoleWithWebIdentity documentation for requirements";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");
    private static final Pattern SOURCE_IDENTITY = Pattern.compile("[\\w+=,.@-]{2,64}");

    private final Function<String, Optional<OidcProvider>> providers;
    private final Clock clock;
    private final HttpClient http;

    /**
     * The verified facts of a token.
     *
     * @param provider the provider that issued it
     * @param subject {@code sub}
     * @param audience the audience that matched a client id
     * @param tags session tags from {@value #TAGS_CLAIM}
     * @param transitiveTagKeys transitive tag keys from that claim
     * @param sourceIdentity the {@value #SOURCE_IDENTITY_CLAIM} claim, or null
     */
    record VerifiedToken(OidcProvider provider, String subject, String audience, Map<String, String> tags,
            List<String> transitiveTagKeys, String sourceIdentity) implements AssumeRoleFlow.FederatedProof {

        @Override
        public String providerArn() {
            return provider.arn();
        }

        /** Asks with the provider's condition keys {@code <provider id>:aud} and {@code <provider id>:sub}. */
        @Override
        public TrustPolicyEvaluator.Request trustRequest(String action) {
            String id = provider.providerId().toLowerCase(Locale.ROOT);
            return new TrustPolicyEvaluator.Request(provider.arn(), action, Map.of(id + ":aud", audience, id + ":sub", subject));
        }
    }

    WebIdentityTokenVerifier(Function<String, Optional<OidcProvider>> providersByIssuerId, Clock clock) {
        this.providers = providersByIssuerId;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY).build();
    }

    VerifiedToken verify(String token) {
        JWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = JWTParser.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw StsError.invalidIdentityToken("The ID Token provided is not a valid JWT. (You may see this error if you"
                    + " sent an Access Token)");
        }
        String issuer = claims.getIssuer();
        if (issuer == null) {
            throw StsError.invalidIdentityToken("The web identity token has no iss claim.");
        }
        URI issuerUri;
        try {
            issuerUri = URI.create(issuer);
        } catch (IllegalArgumentException e) {
            throw StsError.invalidIdentityToken("No OpenIDConnect provider found in your account for " + issuer);
        }
        OidcProvider provider = (issuerUri.getHost() == null ? Optional.<OidcProvider>empty()
                : providers.apply(LocalSts.oidcProviderId(issuerUri)))
                .orElseThrow(() -> StsError.invalidIdentityToken("No OpenIDConnect provider found in your account for " + issuer));
        if (!(jwt instanceof SignedJWT signed)) {
            throw StsError.invalidIdentityToken("The web identity token is not signed (alg none); LocalSts accepts RS256.");
        }
        JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(algorithm)) {
            throw StsError.invalidIdentityToken("The web identity token is signed with " + algorithm
                    + "; LocalSts accepts RS256 only.");
        }
        JWKSet keys = fetchKeys(provider, issuer);
        verifySignature(signed, keys);
        return checkClaims(claims, provider);
    }

    private JWKSet fetchKeys(OidcProvider provider, String tokenIssuer) {
        URI discoveryUri = URI.create(provider.issuer().toString().endsWith("/") ? provider.issuer().toString()
                : provider.issuer() + "/").resolve(".well-known/openid-configuration");
        Map<String, Object> discovery;
        try {
            discovery = JSONObjectUtils.parse(get(discoveryUri));
        } catch (ParseException e) {
            throw StsError.invalidIdentityToken(NO_KEY);
        }
        if (!tokenIssuer.equals(discovery.get("issuer"))) {
            throw StsError.invalidIdentityToken("The issuer of the identity provider's discovery document ("
                    + discovery.get("issuer") + ") does not match the token's iss (" + tokenIssuer + ").");
        }
        URI jwksUri;
        try {
            jwksUri = URI.create(String.valueOf(discovery.get("jwks_uri")));
        } catch (IllegalArgumentException e) {
            throw StsError.invalidIdentityToken(NO_KEY);
        }
        if (!Loopback.isLoopbackHttp(jwksUri)) {
            // The testkit talks to this machine only.
            throw StsError.invalidIdentityToken(NO_KEY + " (LocalSts fetches only from 127.0.0.1 or localhost)");
        }
        try {
            return JWKSet.parse(get(jwksUri));
        } catch (ParseException e) {
            throw StsError.invalidIdentityToken(NO_KEY);
        }
    }

    private String get(URI uri) {
        if (!Loopback.isLoopbackHttp(uri)) {
            throw StsError.invalidIdentityToken(NO_KEY + " (LocalSts fetches only from 127.0.0.1 or localhost)");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("User-Agent", LocalSts.USER_AGENT).header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw idpUnreachable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw idpUnreachable();
        }
        if (response.statusCode() >= 500) {
            throw idpUnreachable();
        }
        if (response.statusCode() != 200) {
            throw StsError.invalidIdentityToken(NO_KEY);
        }
        return response.body();
    }

    private static StsError idpUnreachable() {
        return new StsError("IDPCommunicationError", 400, "The request could not be fulfilled because the identity"
                + " provider (IDP) that was asked to verify the incoming identity token could not be reached. Couldn't"
                + " retrieve verification key from your identity provider. Retry the request a limited number of times.");
    }

    private static void verifySignature(SignedJWT jwt, JWKSet keys) {
        String kid = jwt.getHeader().getKeyID();
        List<RSAKey> candidates = new ArrayList<>();
        for (JWK key : keys.getKeys()) {
            if (key instanceof RSAKey rsa && (kid == null || kid.equals(key.getKeyID()))
                    && (key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse()))) {
                candidates.add(rsa);
            }
        }
        if (candidates.isEmpty()) {
            throw StsError.invalidIdentityToken(kid == null ? NO_KEY
                    : "No key with kid '" + kid + "' in the identity provider's JWKS. " + NO_KEY);
        }
        for (RSAKey key : candidates) {
            try {
                if (key.size() < 2048) {
                    continue;
                }
                if (jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))) {
                    return;
                }
            } catch (JOSEException e) {
                // An unusable key counts as a failed verification.
            }
        }
        throw StsError.invalidIdentityToken("The web identity token's signature could not be verified with the"
                + " identity provider's keys. Get a new identity token from the identity provider and retry.");
    }

    private VerifiedToken checkClaims(JWTClaimsSet claims, OidcProvider provider) {
        String audience = null;
        for (String candidate : claims.getAudience()) {
            if (provider.clientIds().contains(candidate)) {
                audience = candidate;
                break;
            }
        }
        if (audience == null) {
            throw StsError.invalidIdentityToken("Incorrect token audience");
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null) {
            throw StsError.invalidIdentityToken("The web identity token has no exp claim.");
        }
        long exp = claims.getExpirationTime().toInstant().getEpochSecond();
        if (now.getEpochSecond() >= exp) {
            throw new StsError("ExpiredTokenException", 400, "Token expired: current date/time " + now.getEpochSecond()
                    + " must be before the expiration date/time " + exp);
        }
        if (claims.getNotBeforeTime() != null && now.isBefore(claims.getNotBeforeTime().toInstant())) {
            throw StsError.invalidIdentityToken("Token is not yet valid: current date/time " + now.getEpochSecond()
                    + " must be after the not-before date/time " + claims.getNotBeforeTime().toInstant().getEpochSecond());
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw StsError.invalidIdentityToken("The web identity token has no sub claim.");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        List<String> transitive = new ArrayList<>();
        readTags(claims.getClaim(TAGS_CLAIM), tags, transitive);
        Object sourceIdentity = claims.getClaim(SOURCE_IDENTITY_CLAIM);
        if (sourceIdentity != null && (!(sourceIdentity instanceof String s) || !SOURCE_IDENTITY.matcher(s).matches()
                || s.regionMatches(true, 0, "aws:", 0, 4))) {
            throw rejectedClaim("the " + SOURCE_IDENTITY_CLAIM + " claim must be 2-64 characters of [\\w+=,.@-] and"
                    + " not start with aws:");
        }
        return new VerifiedToken(provider, subject, audience, tags, transitive, (String) sourceIdentity);
    }

    private static void readTags(Object claim, Map<String, String> tags, List<String> transitive) {
        if (claim == null) {
            return;
        }
        if (!(claim instanceof Map<?, ?> object) || !(object.get("principal_tags") instanceof Map<?, ?> principalTags)) {
            throw rejectedClaim("the " + TAGS_CLAIM + " claim must be an object with a principal_tags object");
        }
        for (Map.Entry<?, ?> entry : principalTags.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (!(entry.getValue() instanceof List<?> values) || values.size() != 1 || !(values.get(0) instanceof String value)) {
                throw rejectedClaim("principal tag '" + key + "' must be an array with exactly one string value");
            }
            if (!TAG_KEY.matcher(key).matches() || !TAG_VALUE.matcher(value).matches()) {
                throw rejectedClaim("principal tag '" + key + "' has a key over 128 or a value over 256 characters,"
                        + " or characters IAM does not allow");
            }
            tags.put(key, value);
        }
        if (tags.size() > 50) {
            throw rejectedClaim("the token carries " + tags.size() + " session tags; at most 50 are allowed");
        }
        Object keys = object.get("transitive_tag_keys");
        if (keys != null) {
            if (!(keys instanceof List<?> list)) {
                throw rejectedClaim("transitive_tag_keys must be an array of tag keys");
            }
            for (Object key : list) {
                if (!(key instanceof String s) || !tags.containsKey(s)) {
                    throw rejectedClaim("transitive tag key '" + key + "' is not one of the principal tags");
                }
                transitive.add(s);
            }
        }
    }

    private static StsError rejectedClaim(String detail) {
        return new StsError("IDPRejectedClaim", 400, "The identity provider's claim was rejected: " + detail + ".");
    }
}

package io.github.awsdelegation.testkit;

import static io.github.awsdelegation.testkit.IdentityProviderEndpoints.JSON;
import static io.github.awsdelegation.testkit.IdentityProviderEndpoints.json;
import static io.github.awsdelegation.testkit.IdentityProviderEndpoints.single;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import io.github.awsdelegation.testkit.internal.HttpExchanges;
import io.github.awsdelegation.testkit.internal.RandomIds;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The token endpoint of {@link LocalIdentityProvider} (RFC 6749 §3.2): client authentication, the authorization code
 * grant with PKCE and the refresh token grant with rotation, and the codes, access tokens and refresh tokens it keeps.
 */
final class TokenEndpoint {

    private static final Pattern CODE_VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private final LocalIdentityProvider provider;
    private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();
    private final Map<String, IssuedAccessToken> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, IssuedRefreshToken> refreshTokens = new ConcurrentHashMap<>();
    private final AtomicInteger refreshGrants = new AtomicInteger();

    TokenEndpoint(LocalIdentityProvider provider) {
        this.provider = provider;
    }

    /** An authorization code, good once until {@code expiresAt}. */
    private record IssuedCode(String clientId, URI redirectUri, String scope, String nonce, String codeChallenge,
            UserAccount user, Instant authTime, Instant expiresAt) {
    }

    /** An access token for UserInfo, good until {@code expiresAt}. */
    record IssuedAccessToken(UserAccount user, String scope, Instant expiresAt) {
    }

    /** A refresh token, good once (each refresh rotates it) until {@code expiresAt} or until revoked. */
    private record IssuedRefreshToken(String clientId, UserAccount user, String scope, Instant authTime, Instant expiresAt) {
    }

    /** Issues a code for a user who signed in on the login page; returns it. */
    String issueCode(String clientId, URI redirectUri, String scope, String nonce, String codeChallenge, UserAccount user) {
        Instant now = provider.now();
        String code = RandomIds.urlSafeToken(32);
        IdentityProviderEndpoints.prune(codes, IssuedCode::expiresAt, now);
        codes.put(code, new IssuedCode(clientId, redirectUri, scope, nonce, codeChallenge, user, now,
                now.plus(LocalIdentityProvider.AUTHORIZATION_CODE_LIFETIME)));
        return code;
    }

    /** Returns the access token's grant if it is known and not expired, else null. */
    IssuedAccessToken accessToken(String value) {
        IssuedAccessToken token = value == null ? null : accessTokens.get(value);
        return token == null || provider.now().isAfter(token.expiresAt()) ? null : token;
    }

    int refreshGrants() {
        return refreshGrants.get();
    }

    int revokeRefreshTokens(String subject) {
        int before = refreshTokens.size();
        refreshTokens.values().removeIf(t -> t.user().subject().equals(subject));
        return before - refreshTokens.size();
    }

    boolean revokeRefreshToken(String token) {
        return token != null && refreshTokens.remove(token) != null;
    }

    /** Answers a token request; every refusal is RFC 6749 §5.2's JSON error. */
    void handle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Pragma", "no-cache");
        try {
            grant(exchange);
        } catch (TokenError e) {
            HttpExchanges.send(exchange, e.status, JSON, json(Map.of("error", e.error, "error_description", e.getMessage())));
        }
    }

    private void grant(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new TokenError(400, "invalid_request", "send the token request as application/x-www-form-urlencoded");
        }
        Map<String, List<String>> form;
        try {
            form = HttpExchanges.parseForm(new String(HttpExchanges.readBody(exchange), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new TokenError(400, "invalid_request", "the body is not valid percent-encoding");
        }
        for (Map.Entry<String, List<String>> entry : form.entrySet()) {
            if (entry.getValue().size() > 1) {
                throw new TokenError(400, "invalid_request", "parameter '" + entry.getKey() + "' is repeated");
            }
        }
        RegisteredClient client = authenticateClient(exchange, form);
        String grantType = required(form, "grant_type");
        if ("refresh_token".equals(grantType)) {
            refreshGrant(exchange, client, form);
            return;
        }
        if (!"authorization_code".equals(grantType)) {
            throw new TokenError(400, "unsupported_grant_type", "grant_type '" + grantType + "' is not supported");
        }
        codeGrant(exchange, client, form);
    }

    /**
     * Client authentication (RFC 6749 §2.3.1): HTTP Basic or {@code client_secret} in the body, not both; a public
     * client sends neither.
     */
    private RegisteredClient authenticateClient(HttpExchange exchange, Map<String, List<String>> form) {
        String basicId = null;
        String basicSecret = null;
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new TokenError(401, "invalid_client", "the Basic credentials are not valid Base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new TokenError(401, "invalid_client", "the Basic credentials must be client_id:client_secret");
            }
            basicId = java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            basicSecret = java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        }
        String bodyId = single(form, "client_id");
        String bodySecret = single(form, "client_secret");
        if (basicId != null && bodySecret != null) {
            throw new TokenError(400, "invalid_request", "use one client authentication method, not Basic and client_secret");
        }
        if (basicId != null && bodyId != null && !basicId.equals(bodyId)) {
            throw new TokenError(400, "invalid_request", "client_id in the body differs from the Basic credentials");
        }
        String clientId = basicId != null ? basicId : bodyId;
        RegisteredClient client = provider.directory().client(clientId).orElse(null);
        if (client == null) {
            if (basicId != null) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"local-idp\"");
            }
            throw new TokenError(401, "invalid_client", clientId == null ? "missing client_id" : "unknown client");
        }
        if (!client.isPublic()) {
            String offered = basicId != null ? basicSecret : bodySecret;
            if (!client.secretMatches(offered)) {
                if (basicId != null) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"local-idp\"");
                }
                throw new TokenError(401, "invalid_client", offered == null
                        ? "client authentication required for a confidential client" : "wrong client secret");
            }
        }
        return client;
    }

    /** RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6): the code is spent before anything else is checked. */
    private void codeGrant(HttpExchange exchange, RegisteredClient client, Map<String, List<String>> form) throws IOException {
        String codeValue = required(form, "code");
        // Removing first makes the code single-use even when the exchange then fails.
        IssuedCode code = codes.remove(codeValue);
        Instant now = provider.now();
        if (code == null) {
            throw new TokenError(400, "invalid_grant", "invalid authorization code (unknown or already used)");
        }
        if (now.isAfter(code.expiresAt())) {
            throw new TokenError(400, "invalid_grant", "authorization code expired");
        }
        if (!code.clientId().equals(client.clientId())) {
            throw new TokenError(400, "invalid_grant", "authorization code was issued to another client");
        }
        String redirect = single(form, "redirect_uri");
        if (redirect == null || !redirect.equals(code.redirectUri().toString())) {
            throw new TokenError(400, "invalid_grant", "redirect_uri does not match the one of the authorization request");
        }
        String verifier = single(form, "code_verifier");
        if (code.codeChallenge() != null) {
            if (verifier == null) {
                throw new TokenError(400, "invalid_grant", "missing code_verifier (the authorization request used PKCE)");
            }
            if (!CODE_VERIFIER.matcher(verifier).matches() || !codeChallenge(verifier).equals(code.codeChallenge())) {
                throw new TokenError(400, "invalid_grant", "code_verifier does not match the code_challenge");
            }
        } else if (verifier != null) {
            throw new TokenError(400, "invalid_grant", "code_verifier sent but the authorization request had no code_challenge");
        }
        String idToken = idToken(code.clientId(), code.user(), code.scope(), code.nonce(), code.authTime(), now);
        sendTokens(exchange, idToken, new IssuedRefreshToken(code.clientId(), code.user(), code.scope(), code.authTime(),
                now.plus(provider.refreshTokenLifetime())), now);
    }

    // Like Keycloak, every code exchange and refresh answers a refresh token; the one used is spent (rotation).
    private void sendTokens(HttpExchange exchange, String idToken, IssuedRefreshToken refresh, Instant now) throws IOException {
        String accessToken = RandomIds.urlSafeToken(32);
        IdentityProviderEndpoints.prune(accessTokens, IssuedAccessToken::expiresAt, now);
        accessTokens.put(accessToken, new IssuedAccessToken(refresh.user(), refresh.scope(),
                now.plus(LocalIdentityProvider.ACCESS_TOKEN_LIFETIME)));
        String refreshToken = RandomIds.urlSafeToken(32);
        IdentityProviderEndpoints.prune(refreshTokens, IssuedRefreshToken::expiresAt, now);
        refreshTokens.put(refreshToken, refresh);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", accessToken);
        answer.put("id_token", idToken);
        answer.put("refresh_token", refreshToken);
        answer.put("scope", refresh.scope());
        answer.put("expires_in", LocalIdentityProvider.ACCESS_TOKEN_LIFETIME.toSeconds());
        answer.put("token_type", "Bearer");
        HttpExchanges.send(exchange, 200, JSON, json(answer));
    }

    /** RFC 6749 §6 with rotation: the refresh token is spent, a new one comes with the new ID token (OIDC Core §12). */
    private void refreshGrant(HttpExchange exchange, RegisteredClient client, Map<String, List<String>> form) throws IOException {
        String value = required(form, "refresh_token");
        IssuedRefreshToken refresh = refreshTokens.get(value);
        Instant now = provider.now();
        if (refresh != null && !refresh.clientId().equals(client.clientId())) {
            // Another client presenting it spends nothing: the token stays its owner's.
            throw new TokenError(400, "invalid_grant", "refresh token was issued to another client");
        }
        if (refresh == null || !refreshTokens.remove(value, refresh)) {
            throw new TokenError(400, "invalid_grant", "invalid refresh token (unknown, already used, or revoked)");
        }
        if (!now.isBefore(refresh.expiresAt())) {
            throw new TokenError(400, "invalid_grant", "refresh token expired");
        }
        String idToken = idToken(refresh.clientId(), refresh.user(), refresh.scope(), null, refresh.authTime(), now);
        refreshGrants.incrementAndGet();
        sendTokens(exchange, idToken, new IssuedRefreshToken(refresh.clientId(), refresh.user(), refresh.scope(),
                refresh.authTime(), refresh.expiresAt()), now);
    }

    private String idToken(String clientId, UserAccount user, String scope, String nonce, Instant authTime, Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(provider.issuer().toString())
                .subject(user.subject())
                .audience(clientId)
                .claim("azp", clientId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(provider.idTokenLifetime())))
                .claim("auth_time", authTime.getEpochSecond());
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        userClaims(user, scope).forEach(claims::claim);
        RSAKey key = provider.keys().current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(key.getKeyID()).build(), claims.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the ID token", e);
        }
        return jwt.serialize();
    }

    Map<String, Object> userClaims(UserAccount user, String scope) {
        List<String> scopes = Arrays.asList(scope.split(" "));
        Map<String, Object> claims = new LinkedHashMap<>();
        if (scopes.contains("profile")) {
            claims.put("name", user.name());
            claims.put("nickname", user.nickname());
        }
        if (scopes.contains("email")) {
            claims.put("email", user.email());
            claims.put("email_verified", true);
        }
        if (user.isDatabaseUser()) {
            claims.put(provider.groupsClaim(), user.groups());
        }
        return claims;
    }

    private static String required(Map<String, List<String>> form, String name) {
        String value = single(form, name);
        if (value == null) {
            throw new TokenError(400, "invalid_request", "missing " + name);
        }
        return value;
    }

    /** A token endpoint error (RFC 6749 §5.2): the status, the {@code error} code and its description. */
    private static final class TokenError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String error;

        TokenError(int status, String error, String description) {
            super(description, null, false, false);
            this.status = status;
            this.error = error;
        }
    }

    /** Returns BASE64URL(SHA-256(ASCII(verifier))) without padding (RFC 7636 §4.2). */
    static String codeChallenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

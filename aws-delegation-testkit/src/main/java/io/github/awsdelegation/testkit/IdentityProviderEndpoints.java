package io.github.awsdelegation.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.awsdelegation.testkit.internal.HttpExchanges;
import io.github.awsdelegation.testkit.internal.Loopback;
import io.github.awsdelegation.testkit.internal.RandomIds;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The HTTP side of {@link LocalIdentityProvider}: OIDC Discovery 1.0, the JWKS, the authorization code flow with
 * PKCE (RFC 6749 §4.1, RFC 7636), UserInfo and logout.
 */
final class IdentityProviderEndpoints implements HttpHandler {

    private static final String JSON = "application/json; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";
    private static final Pattern CODE_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern CODE_VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final Set<String> SUPPORTED_SCOPES = Set.of("openid", "profile", "email", "offline_access");

    private final LocalIdentityProvider provider;
    private final Map<String, PendingLogin> pendingLogins = new ConcurrentHashMap<>();
    private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();
    private final Map<String, IssuedAccessToken> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, IssuedRefreshToken> refreshTokens = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger refreshGrants = new java.util.concurrent.atomic.AtomicInteger();
    private final List<LocalIdentityProvider.EndedSession> endedSessions = new java.util.concurrent.CopyOnWriteArrayList<>();

    IdentityProviderEndpoints(LocalIdentityProvider provider) {
        this.provider = provider;
    }

    /** An authorization request that passed validation and waits for the user on the login page. */
    private record PendingLogin(String clientId, URI redirectUri, String scope, String state, String nonce,
            String codeChallenge, Instant expiresAt) {
    }

    /** An authorization code, good once until {@code expiresAt}. */
    private record IssuedCode(String clientId, URI redirectUri, String scope, String nonce, String codeChallenge,
            UserAccount user, Instant authTime, Instant expiresAt) {
    }

    private record IssuedAccessToken(UserAccount user, String scope, Instant expiresAt) {
    }

    /** A refresh token, good once (each refresh rotates it) until {@code expiresAt} or until revoked. */
    private record IssuedRefreshToken(String clientId, UserAccount user, String scope, Instant authTime, Instant expiresAt) {
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

    List<LocalIdentityProvider.EndedSession> endedSessions() {
        return List.copyOf(endedSessions);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        // Clients that append "/.well-known/..." to an issuer ending in "/" (Ceph RGW does) ask for "//.well-known/...",
        // which java.net.URI reads as an authority.
        java.net.URI uri = exchange.getRequestURI();
        String path = (uri.getScheme() == null && uri.getRawAuthority() != null ? "/" + uri.getRawAuthority() : "")
                + (uri.getPath() == null ? "" : uri.getPath());
        path = path.replaceAll("/{2,}", "/");
        String method = exchange.getRequestMethod();
        switch (path) {
            case "/.well-known/openid-configuration" -> {
                countUnlessSts(exchange, provider.discoveryRequests());
                if (requireMethod(exchange, "GET")) {
                    discovery(exchange);
                }
            }
            case "/.well-known/jwks.json" -> {
                countUnlessSts(exchange, provider.jwksRequests());
                if (requireMethod(exchange, "GET")) {
                    jwks(exchange);
                }
            }
            case "/authorize" -> {
                if ("GET".equals(method)) {
                    authorize(exchange);
                } else if ("POST".equals(method)) {
                    login(exchange);
                } else {
                    methodNotAllowed(exchange, "GET, POST");
                }
            }
            case "/oauth/token" -> {
                if ("POST".equals(method)) {
                    token(exchange);
                } else {
                    methodNotAllowed(exchange, "POST");
                }
            }
            case "/userinfo" -> userInfo(exchange);
            case "/oidc/logout" -> logout(exchange, "post_logout_redirect_uri");
            case "/v2/logout" -> logout(exchange, "returnTo");
            default -> HttpExchanges.send(exchange, 404, JSON, json(Map.of("error", "not_found",
                    "error_description", "no such endpoint")));
        }
    }

    private static void countUnlessSts(HttpExchange exchange, java.util.concurrent.atomic.AtomicInteger counter) {
        String agent = exchange.getRequestHeaders().getFirst("User-Agent");
        if (agent == null || !agent.startsWith(LocalSts.USER_AGENT)) {
            counter.incrementAndGet();
        }
    }

    private static boolean requireMethod(HttpExchange exchange, String method) throws IOException {
        String actual = exchange.getRequestMethod();
        if (method.equals(actual) || ("GET".equals(method) && "HEAD".equals(actual))) {
            return true;
        }
        methodNotAllowed(exchange, method);
        return false;
    }

    private static void methodNotAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        HttpExchanges.send(exchange, 405, JSON, json(Map.of("error", "invalid_request",
                "error_description", "method " + exchange.getRequestMethod() + " not allowed; use " + allowed)));
    }

    // --- Discovery and JWKS -------------------------------------------------------------------------------------

    private void discovery(HttpExchange exchange) throws IOException {
        if (!provider.jwksAvailable()) {
            unavailable(exchange);
            return;
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", provider.issuer().toString());
        doc.put("authorization_endpoint", provider.authorizationEndpoint().toString());
        doc.put("token_endpoint", provider.tokenEndpoint().toString());
        doc.put("userinfo_endpoint", provider.userInfoEndpoint().toString());
        doc.put("jwks_uri", provider.jwksUri().toString());
        doc.put("end_session_endpoint", provider.endSessionEndpoint().toString());
        doc.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        doc.put("response_types_supported", List.of("code"));
        doc.put("response_modes_supported", List.of("query"));
        doc.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("claims_supported", List.of("aud", "auth_time", "azp", "email", "email_verified", "exp", "iat", "iss",
                "name", "nickname", "nonce", "sub", provider.groupsClaim()));
        doc.put("request_uri_parameter_supported", false);
        doc.put("request_parameter_supported", false);
        exchange.getResponseHeaders().set("Cache-Control", "public, max-age=15");
        HttpExchanges.send(exchange, 200, JSON, json(doc));
    }

    private void jwks(HttpExchange exchange) throws IOException {
        if (!provider.jwksAvailable()) {
            unavailable(exchange);
            return;
        }
        exchange.getResponseHeaders().set("Cache-Control", "public, max-age=15");
        HttpExchanges.send(exchange, 200, JSON, provider.publicJwkSet().toString(true));
    }

    private static void unavailable(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Retry-After", "1");
        HttpExchanges.send(exchange, 503, JSON, json(Map.of("error", "temporarily_unavailable",
                "error_description", "the JWKS and discovery endpoints are switched off (setJwksAvailable(false))")));
    }

    // --- Authorization endpoint ---------------------------------------------------------------------------------

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, List<String>> raw;
        try {
            raw = HttpExchanges.parseForm(exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            errorPage(exchange, "invalid_request", "the query string is not valid percent-encoding");
            return;
        }
        String clientId = single(raw, "client_id");
        String redirect = single(raw, "redirect_uri");
        RegisteredClient client = provider.client(clientId).orElse(null);
        if (client == null) {
            errorPage(exchange, "invalid_request", clientId == null ? "missing client_id"
                    : "unknown client_id '" + clientId + "'");
            return;
        }
        URI redirectUri = parseUri(redirect);
        if (redirectUri == null || !client.allowsRedirect(redirectUri, provider.anyLoopbackRedirect())) {
            errorPage(exchange, "invalid_request", redirect == null ? "missing redirect_uri"
                    : "redirect_uri '" + redirect + "' is not registered for client '" + clientId + "'");
            return;
        }
        String state = single(raw, "state");
        // From here on, errors go back to the client (RFC 6749 §4.1.2.1).
        for (Map.Entry<String, List<String>> entry : raw.entrySet()) {
            if (entry.getValue().size() > 1) {
                redirectError(exchange, redirectUri, state, "invalid_request", "parameter '" + entry.getKey()
                        + "' is repeated");
                return;
            }
        }
        String responseType = single(raw, "response_type");
        String scope = single(raw, "scope");
        String codeChallenge = single(raw, "code_challenge");
        String challengeMethod = single(raw, "code_challenge_method");
        String responseMode = single(raw, "response_mode");
        if (responseType == null) {
            redirectError(exchange, redirectUri, state, "invalid_request", "missing response_type");
        } else if (!"code".equals(responseType)) {
            redirectError(exchange, redirectUri, state, "unsupported_response_type",
                    "response_type '" + responseType + "' is not supported; use code");
        } else if (responseMode != null && !"query".equals(responseMode)) {
            redirectError(exchange, redirectUri, state, "invalid_request",
                    "response_mode '" + responseMode + "' is not supported; use query");
        } else if (scope == null || !Arrays.asList(scope.split(" ")).contains("openid")) {
            redirectError(exchange, redirectUri, state, "invalid_scope", "scope must include openid");
        } else if (codeChallenge == null && challengeMethod != null) {
            redirectError(exchange, redirectUri, state, "invalid_request", "code_challenge_method without code_challenge");
        } else if (codeChallenge != null && !"S256".equals(challengeMethod)) {
            redirectError(exchange, redirectUri, state, "invalid_request",
                    "code_challenge_method must be S256 (plain is not supported)");
        } else if (codeChallenge != null && !CODE_CHALLENGE.matcher(codeChallenge).matches()) {
            redirectError(exchange, redirectUri, state, "invalid_request",
                    "code_challenge must be the 43-character BASE64URL(SHA-256(code_verifier))");
        } else if (codeChallenge == null && client.isPublic()) {
            redirectError(exchange, redirectUri, state, "invalid_request",
                    "public clients must send a PKCE code_challenge with code_challenge_method=S256");
        } else if ("none".equals(single(raw, "prompt"))) {
            redirectError(exchange, redirectUri, state, "login_required", "the user is not signed in");
        } else {
            String effectiveScope = String.join(" ", Arrays.stream(scope.split(" "))
                    .filter(SUPPORTED_SCOPES::contains).distinct().toList());
            String transactionId = RandomIds.urlSafeToken(24);
            prune(pendingLogins, PendingLogin::expiresAt);
            pendingLogins.put(transactionId, new PendingLogin(clientId, redirectUri, effectiveScope, state,
                    single(raw, "nonce"), codeChallenge, provider.now().plus(LocalIdentityProvider.LOGIN_PAGE_LIFETIME)));
            sendHtml(exchange, 200, LoginPage.login(transactionId, clientId, provider.socialUsers(),
                    !provider.databaseUsers().isEmpty(), provider.demoUsers(), null, null));
        }
    }

    private void login(HttpExchange exchange) throws IOException {
        Map<String, List<String>> form;
        try {
            form = HttpExchanges.parseForm(new String(HttpExchanges.readBody(exchange), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            errorPage(exchange, "invalid_request", "the form is not valid percent-encoding");
            return;
        }
        String transactionId = single(form, "tx");
        PendingLogin pending = transactionId == null ? null : pendingLogins.get(transactionId);
        if (pending == null || provider.now().isAfter(pending.expiresAt())) {
            errorPage(exchange, "invalid_request",
                    "this login page has expired; go back to the application and sign in again");
            return;
        }
        String connection = single(form, "connection");
        UserAccount user;
        if (LocalIdentityProvider.SOCIAL_CONNECTION.equals(connection)) {
            String socialId = single(form, "social_user");
            user = socialId == null ? provider.socialUsers().stream().findFirst().orElse(null)
                    : provider.findSocialUser(socialId).orElse(null);
            if (user == null) {
                errorPage(exchange, "invalid_request", "no such Amazon user");
                return;
            }
        } else if (LocalIdentityProvider.DATABASE_CONNECTION.equals(connection)) {
            String username = single(form, "username");
            user = provider.findDatabaseUser(username).filter(u -> u.passwordMatches(single(form, "password")))
                    .orElse(null);
            if (user == null) {
                sendHtml(exchange, 401, LoginPage.login(transactionId, pending.clientId(), provider.socialUsers(),
                        !provider.databaseUsers().isEmpty(), provider.demoUsers(), "Wrong email or password.", username));
                return;
            }
        } else {
            errorPage(exchange, "invalid_request", "unknown connection");
            return;
        }
        if (pendingLogins.remove(transactionId) == null) {
            errorPage(exchange, "invalid_request", "this login was already completed");
            return;
        }
        Instant now = provider.now();
        String code = RandomIds.urlSafeToken(32);
        prune(codes, IssuedCode::expiresAt);
        codes.put(code, new IssuedCode(pending.clientId(), pending.redirectUri(), pending.scope(), pending.nonce(),
                pending.codeChallenge(), user, now, now.plus(LocalIdentityProvider.AUTHORIZATION_CODE_LIFETIME)));
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("code", code);
        answer.put("state", pending.state());
        HttpExchanges.redirect(exchange, HttpExchanges.appendQuery(pending.redirectUri(), answer));
    }

    private static void redirectError(HttpExchange exchange, URI redirectUri, String state, String error,
            String description) throws IOException {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("error", error);
        answer.put("error_description", description);
        answer.put("state", state);
        HttpExchanges.redirect(exchange, HttpExchanges.appendQuery(redirectUri, answer));
    }

    private static void errorPage(HttpExchange exchange, String error, String description) throws IOException {
        sendHtml(exchange, 400, LoginPage.error(error, description));
    }

    private static void sendHtml(HttpExchange exchange, int status, String html) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        HttpExchanges.send(exchange, status, HTML, html);
    }

    // --- Token endpoint -----------------------------------------------------------------------------------------

    private void token(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Pragma", "no-cache");
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            tokenError(exchange, 400, "invalid_request", "send the token request as application/x-www-form-urlencoded");
            return;
        }
        Map<String, List<String>> form;
        try {
            form = HttpExchanges.parseForm(new String(HttpExchanges.readBody(exchange), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            tokenError(exchange, 400, "invalid_request", "the body is not valid percent-encoding");
            return;
        }
        for (Map.Entry<String, List<String>> entry : form.entrySet()) {
            if (entry.getValue().size() > 1) {
                tokenError(exchange, 400, "invalid_request", "parameter '" + entry.getKey() + "' is repeated");
                return;
            }
        }
        // Client authentication (RFC 6749 §2.3.1): HTTP Basic or client_secret in the body, not both.
        String basicId = null;
        String basicSecret = null;
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                tokenError(exchange, 401, "invalid_client", "the Basic credentials are not valid Base64");
                return;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                tokenError(exchange, 401, "invalid_client", "the Basic credentials must be client_id:client_secret");
                return;
            }
            basicId = java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            basicSecret = java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        }
        String bodyId = single(form, "client_id");
        String bodySecret = single(form, "client_secret");
        if (basicId != null && bodySecret != null) {
            tokenError(exchange, 400, "invalid_request", "use one client authentication method, not Basic and client_secret");
            return;
        }
        if (basicId != null && bodyId != null && !basicId.equals(bodyId)) {
            tokenError(exchange, 400, "invalid_request", "client_id in the body differs from the Basic credentials");
            return;
        }
        String clientId = basicId != null ? basicId : bodyId;
        RegisteredClient client = provider.client(clientId).orElse(null);
        if (client == null) {
            if (basicId != null) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"local-idp\"");
            }
            tokenError(exchange, 401, "invalid_client", clientId == null ? "missing client_id" : "unknown client");
            return;
        }
        if (!client.isPublic()) {
            String offered = basicId != null ? basicSecret : bodySecret;
            if (!client.secretMatches(offered)) {
                if (basicId != null) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"local-idp\"");
                }
                tokenError(exchange, 401, "invalid_client", offered == null
                        ? "client authentication required for a confidential client" : "wrong client secret");
                return;
            }
        }
        String grantType = single(form, "grant_type");
        if (grantType == null) {
            tokenError(exchange, 400, "invalid_request", "missing grant_type");
            return;
        }
        if ("refresh_token".equals(grantType)) {
            refreshGrant(exchange, client, form);
            return;
        }
        if (!"authorization_code".equals(grantType)) {
            tokenError(exchange, 400, "unsupported_grant_type", "grant_type '" + grantType + "' is not supported");
            return;
        }
        String codeValue = single(form, "code");
        if (codeValue == null) {
            tokenError(exchange, 400, "invalid_request", "missing code");
            return;
        }
        // Removing first makes the code single-use even when the exchange then fails.
        IssuedCode code = codes.remove(codeValue);
        Instant now = provider.now();
        if (code == null) {
            tokenError(exchange, 400, "invalid_grant", "invalid authorization code (unknown or already used)");
            return;
        }
        if (now.isAfter(code.expiresAt())) {
            tokenError(exchange, 400, "invalid_grant", "authorization code expired");
            return;
        }
        if (!code.clientId().equals(client.clientId())) {
            tokenError(exchange, 400, "invalid_grant", "authorization code was issued to another client");
            return;
        }
        String redirect = single(form, "redirect_uri");
        if (redirect == null || !redirect.equals(code.redirectUri().toString())) {
            tokenError(exchange, 400, "invalid_grant", "redirect_uri does not match the one of the authorization request");
            return;
        }
        String verifier = single(form, "code_verifier");
        if (code.codeChallenge() != null) {
            if (verifier == null) {
                tokenError(exchange, 400, "invalid_grant", "missing code_verifier (the authorization request used PKCE)");
                return;
            }
            if (!CODE_VERIFIER.matcher(verifier).matches() || !codeChallenge(verifier).equals(code.codeChallenge())) {
                tokenError(exchange, 400, "invalid_grant", "code_verifier does not match the code_challenge");
                return;
            }
        } else if (verifier != null) {
            tokenError(exchange, 400, "invalid_grant", "code_verifier sent but the authorization request had no code_challenge");
            return;
        }
        String idToken = idToken(code.clientId(), code.user(), code.scope(), code.nonce(), code.authTime(), now);
        sendTokens(exchange, idToken, new IssuedRefreshToken(code.clientId(), code.user(), code.scope(), code.authTime(),
                now.plus(provider.refreshTokenLifetime())), now);
    }

    // Like Keycloak, every code exchange and refresh answers a refresh token; the one used is spent (rotation).
    private void sendTokens(HttpExchange exchange, String idToken, IssuedRefreshToken refresh, Instant now) throws IOException {
        String accessToken = RandomIds.urlSafeToken(32);
        prune(accessTokens, IssuedAccessToken::expiresAt);
        accessTokens.put(accessToken, new IssuedAccessToken(refresh.user(), refresh.scope(),
                now.plus(LocalIdentityProvider.ACCESS_TOKEN_LIFETIME)));
        String refreshToken = RandomIds.urlSafeToken(32);
        prune(refreshTokens, IssuedRefreshToken::expiresAt);
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
        String value = single(form, "refresh_token");
        if (value == null) {
            tokenError(exchange, 400, "invalid_request", "missing refresh_token");
            return;
        }
        IssuedRefreshToken refresh = refreshTokens.get(value);
        Instant now = provider.now();
        if (refresh != null && !refresh.clientId().equals(client.clientId())) {
            // Another client presenting it spends nothing: the token stays its owner's.
            tokenError(exchange, 400, "invalid_grant", "refresh token was issued to another client");
            return;
        }
        if (refresh == null || !refreshTokens.remove(value, refresh)) {
            tokenError(exchange, 400, "invalid_grant", "invalid refresh token (unknown, already used, or revoked)");
            return;
        }
        if (!now.isBefore(refresh.expiresAt())) {
            tokenError(exchange, 400, "invalid_grant", "refresh token expired");
            return;
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

    private Map<String, Object> userClaims(UserAccount user, String scope) {
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

    private static void tokenError(HttpExchange exchange, int status, String error, String description) throws IOException {
        HttpExchanges.send(exchange, status, JSON, json(Map.of("error", error, "error_description", description)));
    }

    // --- UserInfo and logout ------------------------------------------------------------------------------------

    private void userInfo(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod()) && !"POST".equals(exchange.getRequestMethod())) {
            methodNotAllowed(exchange, "GET, POST");
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        IssuedAccessToken token = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = accessTokens.get(authorization.substring(7).trim());
        }
        if (token == null || provider.now().isAfter(token.expiresAt())) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            HttpExchanges.send(exchange, 401, JSON, json(Map.of("error", "invalid_token",
                    "error_description", "missing, unknown or expired access token")));
            return;
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", token.user().subject());
        claims.putAll(userClaims(token.user(), token.scope()));
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        HttpExchanges.send(exchange, 200, JSON, json(claims));
    }

    private void logout(HttpExchange exchange, String returnParameter) throws IOException {
        if (!requireMethod(exchange, "GET")) {
            return;
        }
        Map<String, List<String>> params;
        try {
            params = HttpExchanges.parseForm(exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            errorPage(exchange, "invalid_request", "the query string is not valid percent-encoding");
            return;
        }
        String target = single(params, returnParameter);
        if (target == null) {
            // Accept either name on either path: clients mix Auth0's and the OIDC spelling.
            target = single(params, "returnTo".equals(returnParameter) ? "post_logout_redirect_uri" : "returnTo");
        }
        String state = single(params, "state");
        String hint = single(params, "id_token_hint");
        JWTClaimsSet hinted = null;
        if (hint != null) {
            // OIDC RP-Initiated Logout 1.0 §2: a hint this provider issued (an expired one too) names the user.
            hinted = verifyHint(hint);
            if (hinted == null) {
                errorPage(exchange, "invalid_request", "id_token_hint is not an ID token this provider issued");
                return;
            }
            String clientId = single(params, "client_id");
            List<String> audience = hinted.getAudience();
            if (clientId != null && !audience.contains(clientId)) {
                errorPage(exchange, "invalid_request", "id_token_hint was issued to another client than client_id");
                return;
            }
        }
        URI uri = null;
        if (target != null) {
            uri = parseUri(target);
            if (uri == null || !Loopback.isLoopbackHttp(uri) || uri.getFragment() != null) {
                errorPage(exchange, "invalid_request", "the logout return URL must be an http(s) URL on 127.0.0.1 or localhost");
                return;
            }
        }
        if (hinted != null) {
            revokeRefreshTokens(hinted.getSubject());
            endedSessions.add(new LocalIdentityProvider.EndedSession(hinted.getSubject(), hinted.getAudience().get(0), uri, state));
        }
        if (uri == null) {
            sendHtml(exchange, 200, LoginPage.signedOut());
            return;
        }
        // With a valid hint (or none, as the testkit has no sessions to confirm) the browser goes straight back.
        HttpExchanges.redirect(exchange, state == null ? uri : HttpExchanges.appendQuery(uri, Map.of("state", state)));
    }

    private JWTClaimsSet verifyHint(String hint) {
        try {
            SignedJWT jwt = SignedJWT.parse(hint);
            com.nimbusds.jose.jwk.JWK key = provider.publicJwkSet().getKeyByKeyId(jwt.getHeader().getKeyID());
            if (!(key instanceof RSAKey rsa) || !jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(rsa))) {
                return null;
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            return provider.issuer().toString().equals(claims.getIssuer()) && claims.getSubject() != null
                    && claims.getAudience() != null && !claims.getAudience().isEmpty() ? claims : null;
        } catch (java.text.ParseException | JOSEException e) {
            return null;
        }
    }

    // --- Helpers ------------------------------------------------------------------------------------------------

    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    private static URI parseUri(String value) {
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() ? uri : null;
        } catch (URISyntaxException e) {
            return null;
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


    private <V> void prune(Map<String, V> map, java.util.function.Function<V, Instant> expiry) {
        Instant now = provider.now();
        map.values().removeIf(value -> now.isAfter(expiry.apply(value).plus(Duration.ofMinutes(1))));
    }

    private static String json(Map<String, ?> object) {
        return JSONObjectUtils.toJSONString(object);
    }
}

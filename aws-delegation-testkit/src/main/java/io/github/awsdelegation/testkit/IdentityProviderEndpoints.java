package io.github.awsdelegation.testkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.awsdelegation.testkit.internal.HttpExchanges;
import io.github.awsdelegation.testkit.internal.Loopback;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP side of {@link LocalIdentityProvider}: OIDC Discovery 1.0, the JWKS, the authorization code flow with
 * PKCE (RFC 6749 §4.1, RFC 7636; {@link AuthorizationEndpoint}, {@link TokenEndpoint}), UserInfo and logout.
 */
final class IdentityProviderEndpoints implements HttpHandler {

    static final String JSON = "application/json; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";

    private final LocalIdentityProvider provider;
    private final TokenEndpoint tokens;
    private final AuthorizationEndpoint authorization;
    private final List<LocalIdentityProvider.EndedSession> endedSessions = new java.util.concurrent.CopyOnWriteArrayList<>();

    IdentityProviderEndpoints(LocalIdentityProvider provider) {
        this.provider = provider;
        this.tokens = new TokenEndpoint(provider);
        this.authorization = new AuthorizationEndpoint(provider, tokens);
    }

    int refreshGrants() {
        return tokens.refreshGrants();
    }

    int revokeRefreshTokens(String subject) {
        return tokens.revokeRefreshTokens(subject);
    }

    boolean revokeRefreshToken(String token) {
        return tokens.revokeRefreshToken(token);
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
                    authorization.authorize(exchange);
                } else if ("POST".equals(method)) {
                    authorization.login(exchange);
                } else {
                    methodNotAllowed(exchange, "GET, POST");
                }
            }
            case "/oauth/token" -> {
                if ("POST".equals(method)) {
                    tokens.handle(exchange);
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

    static void errorPage(HttpExchange exchange, String error, String description) throws IOException {
        sendHtml(exchange, 400, LoginPage.error(error, description));
    }

    static void sendHtml(HttpExchange exchange, int status, String html) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        HttpExchanges.send(exchange, status, HTML, html);
    }

    // --- UserInfo and logout ------------------------------------------------------------------------------------

    private void userInfo(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod()) && !"POST".equals(exchange.getRequestMethod())) {
            methodNotAllowed(exchange, "GET, POST");
            return;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        TokenEndpoint.IssuedAccessToken token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? tokens.accessToken(header.substring(7).trim()) : null;
        if (token == null) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            HttpExchanges.send(exchange, 401, JSON, json(Map.of("error", "invalid_token",
                    "error_description", "missing, unknown or expired access token")));
            return;
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", token.user().subject());
        claims.putAll(tokens.userClaims(token.user(), token.scope()));
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

    static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    static URI parseUri(String value) {
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

    /** Forgets entries a minute past their expiry, so that the maps stay small. */
    static <V> void prune(Map<String, V> map, java.util.function.Function<V, Instant> expiry, Instant now) {
        map.values().removeIf(value -> now.isAfter(expiry.apply(value).plus(Duration.ofMinutes(1))));
    }

    static String json(Map<String, ?> object) {
        return JSONObjectUtils.toJSONString(object);
    }
}

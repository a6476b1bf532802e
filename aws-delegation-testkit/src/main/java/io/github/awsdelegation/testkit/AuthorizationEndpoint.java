package io.github.awsdelegation.testkit;

import static io.github.awsdelegation.testkit.IdentityProviderEndpoints.errorPage;
import static io.github.awsdelegation.testkit.IdentityProviderEndpoints.parseUri;
import static io.github.awsdelegation.testkit.IdentityProviderEndpoints.sendHtml;
import static io.github.awsdelegation.testkit.IdentityProviderEndpoints.single;

import com.sun.net.httpserver.HttpExchange;
import io.github.awsdelegation.testkit.internal.HttpExchanges;
import io.github.awsdelegation.testkit.internal.RandomIds;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The authorization endpoint of {@link LocalIdentityProvider} (RFC 6749 §4.1.1, OIDC Core §3.1.2): it checks the
 * request (client, redirect URI, response type, scope, PKCE), shows the login page, and on a successful sign-in
 * redirects back with a code from the {@link TokenEndpoint}.
 */
final class AuthorizationEndpoint {

    private static final Pattern CODE_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Set<String> SUPPORTED_SCOPES = Set.of("openid", "profile", "email", "offline_access");

    private final LocalIdentityProvider provider;
    private final TokenEndpoint tokens;
    private final Map<String, PendingLogin> pendingLogins = new ConcurrentHashMap<>();

    AuthorizationEndpoint(LocalIdentityProvider provider, TokenEndpoint tokens) {
        this.provider = provider;
        this.tokens = tokens;
    }

    /** An authorization request that passed validation and waits for the user on the login page. */
    private record PendingLogin(String clientId, URI redirectUri, String scope, String state, String nonce,
            String codeChallenge, Instant expiresAt) {
    }

    void authorize(HttpExchange exchange) throws IOException {
        Map<String, List<String>> raw;
        try {
            raw = HttpExchanges.parseForm(exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            errorPage(exchange, "invalid_request", "the query string is not valid percent-encoding");
            return;
        }
        String clientId = single(raw, "client_id");
        String redirect = single(raw, "redirect_uri");
        RegisteredClient client = provider.directory().client(clientId).orElse(null);
        if (client == null) {
            errorPage(exchange, "invalid_request", clientId == null ? "missing client_id"
                    : "unknown client_id '" + clientId + "'");
            return;
        }
        URI redirectUri = parseUri(redirect);
        if (redirectUri == null || !client.allowsRedirect(redirectUri, provider.directory().anyLoopbackRedirect())) {
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
            IdentityProviderEndpoints.prune(pendingLogins, PendingLogin::expiresAt, provider.now());
            pendingLogins.put(transactionId, new PendingLogin(clientId, redirectUri, effectiveScope, state,
                    single(raw, "nonce"), codeChallenge, provider.now().plus(LocalIdentityProvider.LOGIN_PAGE_LIFETIME)));
            sendHtml(exchange, 200, provider.directory().loginPage(transactionId, clientId, null, null));
        }
    }

    void login(HttpExchange exchange) throws IOException {
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
            user = (socialId == null ? provider.directory().firstSocialUser()
                    : provider.directory().findSocialUser(socialId)).orElse(null);
            if (user == null) {
                errorPage(exchange, "invalid_request", "no such Amazon user");
                return;
            }
        } else if (LocalIdentityProvider.DATABASE_CONNECTION.equals(connection)) {
            String username = single(form, "username");
            user = provider.directory().findDatabaseUser(username).filter(u -> u.passwordMatches(single(form, "password")))
                    .orElse(null);
            if (user == null) {
                sendHtml(exchange, 401, provider.directory().loginPage(transactionId, pending.clientId(),
                        "Wrong email or password.", username));
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
        String code = tokens.issueCode(pending.clientId(), pending.redirectUri(), pending.scope(), pending.nonce(),
                pending.codeChallenge(), user);
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
}

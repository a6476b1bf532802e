package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Drives the authorization code flow with PKCE the way a browser and a relying party would, over real HTTP. */
class AuthorizationCodeFlowTest {

    private static final URI PUBLIC_REDIRECT = URI.create("http://127.0.0.1:8080/callback");
    private static final URI CONFIDENTIAL_REDIRECT = URI.create("http://localhost:9000/cb?tenant=a");
    private static final String SECRET = "backend-secret";
    private static final FakeClock CLOCK = FakeClock.now();

    private static LocalIdentityProvider idp;

    @BeforeAll
    static void start() {
        idp = LocalIdentityProvider.builder()
                .client("pet-shop", null, List.of(PUBLIC_REDIRECT))
                .client("backend", SECRET, List.of(CONFIDENTIAL_REDIRECT))
                .databaseUser(Demo.ADMIN_USERNAME, Demo.ADMIN_PASSWORD, Demo.ADMIN_EMAIL, Demo.ADMIN_GROUPS)
                .socialUser(Demo.BUYER_AMAZON_ID, Demo.BUYER_EMAIL)
                .clock(CLOCK)
                .start();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    private static Map<String, String> authorizeParams(String clientId, URI redirect, String challenge) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", redirect.toString());
        params.put("scope", "openid profile email");
        params.put("state", "st-123");
        params.put("nonce", "n-456");
        if (challenge != null) {
            params.put("code_challenge", challenge);
            params.put("code_challenge_method", "S256");
        }
        return params;
    }

    private static HttpResponse<String> authorize(Map<String, String> params) throws Exception {
        return TestSupport.get(TestSupport.withQuery(idp.authorizationEndpoint(), params));
    }

    private static HttpResponse<String> submitPassword(String page, String username, String password) throws Exception {
        return TestSupport.postForm(idp.authorizationEndpoint(), Map.of("tx", TestSupport.transactionId(page),
                "connection", "Username-Password-Authentication", "username", username, "password", password));
    }

    private static HttpResponse<String> continueWithAmazon(String page) throws Exception {
        return TestSupport.postForm(idp.authorizationEndpoint(), Map.of("tx", TestSupport.transactionId(page),
                "connection", "amazon"));
    }

    private static Map<String, String> redirectParams(HttpResponse<String> response, URI expectedRedirect) {
        assertThat(response.statusCode()).isEqualTo(302);
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertThat(location.getScheme() + "://" + location.getAuthority() + location.getPath())
                .isEqualTo(expectedRedirect.getScheme() + "://" + expectedRedirect.getAuthority() + expectedRedirect.getPath());
        return TestSupport.query(location);
    }

    /** Logs the admin in with PKCE and returns the authorization code. */
    private static String adminCode(String verifier) throws Exception {
        HttpResponse<String> page = authorize(authorizeParams("pet-shop", PUBLIC_REDIRECT, TestSupport.codeChallenge(verifier)));
        return redirectParams(submitPassword(page.body(), Demo.ADMIN_USERNAME, Demo.ADMIN_PASSWORD), PUBLIC_REDIRECT).get("code");
    }

    private static HttpResponse<String> exchange(Map<String, String> form, String... headers) throws Exception {
        return TestSupport.postForm(idp.tokenEndpoint(), form, headers);
    }

    private static Map<String, String> publicExchange(String code, String verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", "pet-shop");
        form.put("code", code);
        form.put("redirect_uri", PUBLIC_REDIRECT.toString());
        form.put("code_verifier", verifier);
        return form;
    }

    private static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return JSONObjectUtils.parse(response.body());
    }

    @Test
    @DisplayName("A database user logs in with a password and PKCE; the tokens verify against the served JWKS")
    void databaseUser_fullFlowWithPkce_issuesVerifiableIdToken() throws Exception {
        String verifier = TestSupport.newCodeVerifier();
        HttpResponse<String> page = authorize(authorizeParams("pet-shop", PUBLIC_REDIRECT, TestSupport.codeChallenge(verifier)));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("Continue with Amazon", "name=\"password\"", "pet-shop");

        Map<String, String> answer = redirectParams(submitPassword(page.body(), Demo.ADMIN_USERNAME, Demo.ADMIN_PASSWORD),
                PUBLIC_REDIRECT);
        assertThat(answer).containsEntry("state", "st-123").containsKey("code");

        HttpResponse<String> tokens = exchange(publicExchange(answer.get("code"), verifier));
        assertThat(tokens.statusCode()).isEqualTo(200);
        assertThat(tokens.headers().firstValue("Cache-Control")).hasValue("no-store");
        Map<String, Object> body = json(tokens);
        assertThat(body).containsEntry("token_type", "Bearer").containsEntry("scope", "openid profile email")
                .containsKeys("access_token", "id_token", "expires_in");

        String idToken = (String) body.get("id_token");
        SignedJWT jwt = SignedJWT.parse(idToken);
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(idp.currentKeyId());
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
        // The fake clock is "now" truncated, so the system-time verifier accepts the times.
        JWTClaimsSet claims = TestSupport.verifierFor(idp, "pet-shop").process(idToken, null);
        assertThat(claims.getIssuer()).isEqualTo(idp.issuer().toString());
        assertThat(claims.getSubject()).isEqualTo(LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME));
        assertThat(claims.getAudience()).containsExactly("pet-shop");
        assertThat(claims.getClaim("azp")).isEqualTo("pet-shop");
        assertThat(claims.getClaim("nonce")).isEqualTo("n-456");
        assertThat(claims.getClaim("email")).isEqualTo(Demo.ADMIN_EMAIL);
        assertThat(claims.getClaim("email_verified")).isEqualTo(true);
        assertThat(claims.getClaim("nickname")).isEqualTo("admin");
        assertThat(claims.getStringListClaim("groups")).containsExactly(Demo.ADMIN_GROUP);
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(CLOCK.instant());
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(CLOCK.instant().plus(Duration.ofHours(10)));
        assertThat(claims.getLongClaim("auth_time")).isEqualTo(CLOCK.instant().getEpochSecond());

        HttpResponse<String> userInfo = TestSupport.HTTP.send(java.net.http.HttpRequest.newBuilder(idp.userInfoEndpoint())
                .header("Authorization", "Bearer " + body.get("access_token")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(userInfo.statusCode()).isEqualTo(200);
        assertThat(json(userInfo)).containsEntry("sub", claims.getSubject()).containsEntry("email", Demo.ADMIN_EMAIL);
    }

    @Test
    void socialUser_continueWithAmazon_getsAmazonSubjectWithoutGroups() throws Exception {
        String verifier = TestSupport.newCodeVerifier();
        Map<String, String> params = authorizeParams("pet-shop", PUBLIC_REDIRECT, TestSupport.codeChallenge(verifier));
        params.put("scope", "openid email");
        HttpResponse<String> page = authorize(params);

        String code = redirectParams(continueWithAmazon(page.body()), PUBLIC_REDIRECT).get("code");
        Map<String, Object> body = json(exchange(publicExchange(code, verifier)));

        JWTClaimsSet claims = TestSupport.verifierFor(idp, "pet-shop").process((String) body.get("id_token"), null);
        assertThat(claims.getSubject()).isEqualTo("amazon|" + Demo.BUYER_AMAZON_ID);
        assertThat(claims.getClaim("email")).isEqualTo(Demo.BUYER_EMAIL);
        assertThat(claims.getClaims()).doesNotContainKeys("groups", "name", "nickname");
    }

    @Test
    void tokenExchange_wrongCodeVerifier_invalidGrant() throws Exception {
        String code = adminCode(TestSupport.newCodeVerifier());

        HttpResponse<String> response = exchange(publicExchange(code, TestSupport.newCodeVerifier()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant");
        assertThat(json(response).get("error_description").toString()).contains("code_verifier");
    }

    @Test
    void tokenExchange_missingCodeVerifier_invalidGrant() throws Exception {
        String code = adminCode(TestSupport.newCodeVerifier());
        Map<String, String> form = publicExchange(code, "x");
        form.remove("code_verifier");

        HttpResponse<String> response = exchange(form);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant");
    }

    @Test
    void tokenExchange_reusedCode_invalidGrant() throws Exception {
        String verifier = TestSupport.newCodeVerifier();
        String code = adminCode(verifier);
        assertThat(exchange(publicExchange(code, verifier)).statusCode()).isEqualTo(200);

        HttpResponse<String> again = exchange(publicExchange(code, verifier));

        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(json(again)).containsEntry("error", "invalid_grant");
        assertThat(json(again).get("error_description").toString()).contains("already used");
    }

    @Test
    void tokenExchange_wrongRedirectUri_invalidGrant() throws Exception {
        String verifier = TestSupport.newCodeVerifier();
        Map<String, String> form = publicExchange(adminCode(verifier), verifier);
        form.put("redirect_uri", "http://127.0.0.1:8080/other");

        HttpResponse<String> response = exchange(form);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant");
        assertThat(json(response).get("error_description").toString()).contains("redirect_uri");
    }

    @Test
    void tokenExchange_after60Seconds_codeExpired() throws Exception {
        String verifier = TestSupport.newCodeVerifier();
        String code = adminCode(verifier);
        Instant before = CLOCK.instant();
        CLOCK.advance(Duration.ofSeconds(61));
        try {
            HttpResponse<String> response = exchange(publicExchange(code, verifier));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response)).containsEntry("error", "invalid_grant");
            assertThat(json(response).get("error_description").toString()).contains("expired");
        } finally {
            CLOCK.set(before);
        }
    }

    @Test
    void tokenExchange_unsupportedGrantType_rfc6749Error() throws Exception {
        HttpResponse<String> response = exchange(Map.of("grant_type", "password", "client_id", "pet-shop"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "unsupported_grant_type");
    }

    @Test
    void login_wrongPassword_reshowsPageWithErrorAndEscapedUsername() throws Exception {
        HttpResponse<String> page = authorize(authorizeParams("pet-shop", PUBLIC_REDIRECT,
                TestSupport.codeChallenge(TestSupport.newCodeVerifier())));

        HttpResponse<String> again = submitPassword(page.body(), "<script>alert(1)</script>", "nope");

        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.body()).contains("Wrong email or password.")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>");
        assertThat(again.headers().firstValue("Location")).isEmpty();

        // The same login page still works with the right password.
        HttpResponse<String> success = submitPassword(again.body(), Demo.ADMIN_USERNAME, Demo.ADMIN_PASSWORD);
        assertThat(success.statusCode()).isEqualTo(302);
    }

    @Test
    @DisplayName("the login page lists users and passwords only for the demo IdP (no users configured), marked as a demo")
    void loginPage_demoUsersListedOnlyForTheDemo() throws Exception {
        HttpResponse<String> configured = authorize(authorizeParams("pet-shop", PUBLIC_REDIRECT,
                TestSupport.codeChallenge(TestSupport.newCodeVerifier())));
        String demoPage;
        try (LocalIdentityProvider demo = LocalIdentityProvider.builder().start()) {
            demoPage = demo.directory().loginPage("tx", Demo.CLIENT_ID, null, null);
        }

        assertThat(configured.body()).as("users registered with the builder, even the demo's own").doesNotContain("demo-users")
                .doesNotContain(Demo.ADMIN_PASSWORD);
        assertThat(demoPage).contains("id=\"demo-users\"", "Demo identity provider",
                "<code id=\"demo-username\">" + Demo.ADMIN_USERNAME + "</code>",
                "<code id=\"demo-password\">" + Demo.ADMIN_PASSWORD + "</code>", Demo.BUYER_EMAIL);
    }

    @Test
    void login_rightUserWrongPassword_isRefused() throws Exception {
        HttpResponse<String> page = authorize(authorizeParams("pet-shop", PUBLIC_REDIRECT,
                TestSupport.codeChallenge(TestSupport.newCodeVerifier())));

        assertThat(submitPassword(page.body(), Demo.ADMIN_USERNAME, "admin-passwordX").statusCode()).isEqualTo(401);
    }

    @Test
    void login_transactionIsSingleUse() throws Exception {
        HttpResponse<String> page = authorize(authorizeParams("pet-shop", PUBLIC_REDIRECT,
                TestSupport.codeChallenge(TestSupport.newCodeVerifier())));
        assertThat(continueWithAmazon(page.body()).statusCode()).isEqualTo(302);

        HttpResponse<String> replay = continueWithAmazon(page.body());

        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("expired");
    }

    @Test
    void authorize_publicClientWithoutPkce_redirectsWithInvalidRequest() throws Exception {
        HttpResponse<String> response = authorize(authorizeParams("pet-shop", PUBLIC_REDIRECT, null));

        assertThat(redirectParams(response, PUBLIC_REDIRECT)).containsEntry("error", "invalid_request")
                .containsEntry("state", "st-123")
                .hasEntrySatisfying("error_description", d -> assertThat(d).contains("code_challenge"));
    }

    @Test
    void authorize_plainChallengeMethod_redirectsWithInvalidRequest() throws Exception {
        Map<String, String> params = authorizeParams("pet-shop", PUBLIC_REDIRECT, TestSupport.codeChallenge("v"));
        params.put("code_challenge_method", "plain");

        assertThat(redirectParams(authorize(params), PUBLIC_REDIRECT)).containsEntry("error", "invalid_request");
    }

    @Test
    void authorize_scopeWithoutOpenid_redirectsWithInvalidScope() throws Exception {
        Map<String, String> params = authorizeParams("pet-shop", PUBLIC_REDIRECT, TestSupport.codeChallenge("v"));
        params.put("scope", "profile email");

        assertThat(redirectParams(authorize(params), PUBLIC_REDIRECT)).containsEntry("error", "invalid_scope");
    }

    @Test
    void authorize_tokenResponseType_redirectsWithUnsupportedResponseType() throws Exception {
        Map<String, String> params = authorizeParams("pet-shop", PUBLIC_REDIRECT, TestSupport.codeChallenge("v"));
        params.put("response_type", "id_token");

        assertThat(redirectParams(authorize(params), PUBLIC_REDIRECT)).containsEntry("error", "unsupported_response_type");
    }

    @Test
    void authorize_promptNone_redirectsWithLoginRequired() throws Exception {
        Map<String, String> params = authorizeParams("pet-shop", PUBLIC_REDIRECT, TestSupport.codeChallenge("v"));
        params.put("prompt", "none");

        assertThat(redirectParams(authorize(params), PUBLIC_REDIRECT)).containsEntry("error", "login_required");
    }

    @Test
    @DisplayName("An unregistered redirect_uri gets a 400 page, never a redirect (RFC 6749 §4.1.2.1)")
    void authorize_unregisteredRedirect_errorPageWithoutRedirect() throws Exception {
        HttpResponse<String> response = authorize(authorizeParams("pet-shop", URI.create("http://127.0.0.1:8080/evil"),
                TestSupport.codeChallenge("v")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.body()).contains("is not registered for client");
    }

    @Test
    void authorize_unknownClient_errorPageWithEscapedClientId() throws Exception {
        HttpResponse<String> response = authorize(authorizeParams("<b>x</b>", PUBLIC_REDIRECT, null));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("unknown client_id", "&lt;b&gt;x&lt;/b&gt;").doesNotContain("<b>x</b>");
    }

    @Test
    void confidentialClient_basicAuthWithoutPkce_succeedsAndKeepsRedirectQuery() throws Exception {
        HttpResponse<String> page = authorize(authorizeParams("backend", CONFIDENTIAL_REDIRECT, null));
        Map<String, String> answer = redirectParams(continueWithAmazon(page.body()), CONFIDENTIAL_REDIRECT);
        assertThat(answer).containsEntry("tenant", "a").containsEntry("state", "st-123");

        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", answer.get("code"));
        form.put("redirect_uri", CONFIDENTIAL_REDIRECT.toString());
        String basic = "Basic " + Base64.getEncoder().encodeToString(("backend:" + SECRET).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = exchange(form, "Authorization", basic);

        assertThat(response.statusCode()).isEqualTo(200);
        JWTClaimsSet claims = TestSupport.verifierFor(idp, "backend").process((String) json(response).get("id_token"), null);
        assertThat(claims.getAudience()).containsExactly("backend");
    }

    @Test
    void confidentialClient_wrongSecret_invalidClient401() throws Exception {
        HttpResponse<String> page = authorize(authorizeParams("backend", CONFIDENTIAL_REDIRECT, null));
        String code = redirectParams(continueWithAmazon(page.body()), CONFIDENTIAL_REDIRECT).get("code");

        HttpResponse<String> response = exchange(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", CONFIDENTIAL_REDIRECT.toString(), "client_id", "backend", "client_secret", "wrong"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("error", "invalid_client");
    }

    @Test
    void confidentialClient_noSecret_invalidClient401() throws Exception {
        HttpResponse<String> response = exchange(Map.of("grant_type", "authorization_code", "code", "whatever",
                "redirect_uri", CONFIDENTIAL_REDIRECT.toString(), "client_id", "backend"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("error", "invalid_client");
    }

    @Test
    void tokenExchange_codeOfAnotherClient_invalidGrant() throws Exception {
        HttpResponse<String> page = authorize(authorizeParams("backend", CONFIDENTIAL_REDIRECT, null));
        String code = redirectParams(continueWithAmazon(page.body()), CONFIDENTIAL_REDIRECT).get("code");

        HttpResponse<String> response = exchange(publicExchange(code, TestSupport.newCodeVerifier()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant");
    }

    @Test
    void userInfo_withoutToken_401() throws Exception {
        HttpResponse<String> response = TestSupport.get(idp.userInfoEndpoint());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    }

    private static Map<String, String> refreshForm(String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", "pet-shop");
        form.put("refresh_token", refreshToken);
        return form;
    }

    private static Map<String, Object> adminTokens() throws Exception {
        String verifier = TestSupport.newCodeVerifier();
        HttpResponse<String> tokens = exchange(publicExchange(adminCode(verifier), verifier));
        assertThat(tokens.statusCode()).isEqualTo(200);
        return json(tokens);
    }

    @Test
    @DisplayName("A refresh token renews the ID token (same user, new iat/exp, no nonce) and is rotated: the old one is spent")
    void refreshToken_renewsIdToken_andRotates() throws Exception {
        Map<String, Object> first = adminTokens();
        String firstRefresh = (String) first.get("refresh_token");
        JWTClaimsSet original = SignedJWT.parse((String) first.get("id_token")).getJWTClaimsSet();
        Instant before = CLOCK.instant();
        CLOCK.advance(Duration.ofMinutes(7));
        try {
            int grants = idp.refreshGrantCount();
            HttpResponse<String> refreshed = exchange(refreshForm(firstRefresh));

            assertThat(refreshed.statusCode()).isEqualTo(200);
            Map<String, Object> body = json(refreshed);
            assertThat(body).containsKeys("id_token", "refresh_token", "access_token");
            assertThat(body.get("refresh_token")).as("rotated").isNotEqualTo(firstRefresh);
            JWTClaimsSet renewed = SignedJWT.parse((String) body.get("id_token")).getJWTClaimsSet();
            assertThat(renewed.getSubject()).isEqualTo(original.getSubject());
            assertThat(renewed.getAudience()).isEqualTo(original.getAudience());
            assertThat(renewed.getIssueTime()).isAfter(original.getIssueTime());
            assertThat(renewed.getExpirationTime()).isAfter(original.getExpirationTime());
            assertThat(renewed.getClaim("auth_time")).isEqualTo(original.getClaim("auth_time"));
            assertThat(renewed.getClaim("nonce")).isNull();
            assertThat(idp.refreshGrantCount()).isEqualTo(grants + 1);

            HttpResponse<String> reused = exchange(refreshForm(firstRefresh));
            assertThat(reused.statusCode()).isEqualTo(400);
            assertThat(json(reused)).containsEntry("error", "invalid_grant");
        } finally {
            CLOCK.set(before);
        }
    }

    @Test
    @DisplayName("Ending a user's sessions revokes their refresh tokens: the next refresh is invalid_grant")
    void endSessions_revokesRefreshTokens() throws Exception {
        String refresh = (String) adminTokens().get("refresh_token");

        assertThat(idp.endSessions(LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME))).isPositive();

        HttpResponse<String> response = exchange(refreshForm(refresh));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant");
    }

    @Test
    @DisplayName("A refresh token past its lifetime is invalid_grant")
    void refreshToken_expired_invalidGrant() throws Exception {
        String refresh = (String) adminTokens().get("refresh_token");
        Instant before = CLOCK.instant();
        CLOCK.advance(idp.refreshTokenLifetime());
        try {
            HttpResponse<String> response = exchange(refreshForm(refresh));
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).get("error_description").toString()).contains("expired");
        } finally {
            CLOCK.set(before);
        }
    }

    @Test
    @DisplayName("RP-Initiated Logout: a valid id_token_hint redirects straight back with the state and ends the user's sessions")
    void endSession_withHint_redirectsBackAndRevokes() throws Exception {
        Map<String, Object> tokens = adminTokens();
        int ended = idp.endedSessions().size();

        HttpResponse<String> response = TestSupport.get(TestSupport.withQuery(idp.endSessionEndpoint(),
                Map.of("id_token_hint", (String) tokens.get("id_token"), "client_id", "pet-shop",
                        "post_logout_redirect_uri", "http://127.0.0.1:8080/bye", "state", "st-9")));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue("http://127.0.0.1:8080/bye?state=st-9");
        assertThat(idp.endedSessions()).hasSize(ended + 1).last().satisfies(e -> {
            assertThat(e.subject()).isEqualTo(LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME));
            assertThat(e.state()).isEqualTo("st-9");
        });
        assertThat(json(exchange(refreshForm((String) tokens.get("refresh_token"))))).containsEntry("error", "invalid_grant");
    }

    @Test
    @DisplayName("RP-Initiated Logout refuses an id_token_hint it did not sign, and one for another client")
    void endSession_badHint_refused() throws Exception {
        HttpResponse<String> notOurs = TestSupport.get(TestSupport.withQuery(idp.endSessionEndpoint(),
                Map.of("id_token_hint", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "post_logout_redirect_uri",
                        "http://127.0.0.1:8080/bye")));
        HttpResponse<String> otherClient = TestSupport.get(TestSupport.withQuery(idp.endSessionEndpoint(),
                Map.of("id_token_hint", (String) adminTokens().get("id_token"), "client_id", "backend",
                        "post_logout_redirect_uri", "http://127.0.0.1:8080/bye")));

        assertThat(notOurs.statusCode()).isEqualTo(400);
        assertThat(notOurs.body()).contains("id_token_hint");
        assertThat(otherClient.statusCode()).isEqualTo(400);
        assertThat(otherClient.body()).contains("another client");
    }

    @Test
    void logout_returnToLoopback_redirects() throws Exception {
        HttpResponse<String> response = TestSupport.get(TestSupport.withQuery(idp.endSessionEndpoint(),
                Map.of("post_logout_redirect_uri", "http://localhost:8080/bye", "state", "s1")));

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue("http://localhost:8080/bye?state=s1");

        HttpResponse<String> auth0Style = TestSupport.get(TestSupport.withQuery(idp.issuer().resolve("v2/logout"),
                Map.of("returnTo", "http://127.0.0.1:8080/")));
        assertThat(auth0Style.headers().firstValue("Location")).hasValue("http://127.0.0.1:8080/");
    }

    @Test
    void logout_returnToElsewhere_isRefused() throws Exception {
        HttpResponse<String> response = TestSupport.get(TestSupport.withQuery(idp.endSessionEndpoint(),
                Map.of("post_logout_redirect_uri", "https://example.com/")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void anyLoopbackRedirect_acceptsAnyPortOnLoopbackOnly() throws Exception {
        try (LocalIdentityProvider demo = LocalIdentityProvider.builder().start()) {
            URI anyPort = URI.create("http://localhost:53123/app/callback");
            HttpResponse<String> page = TestSupport.get(TestSupport.withQuery(demo.authorizationEndpoint(),
                    authorizeParams(Demo.CLIENT_ID, anyPort, TestSupport.codeChallenge("v"))));
            assertThat(page.statusCode()).isEqualTo(200);

            HttpResponse<String> foreign = TestSupport.get(TestSupport.withQuery(demo.authorizationEndpoint(),
                    authorizeParams(Demo.CLIENT_ID, URI.create("http://example.com/callback"), TestSupport.codeChallenge("v"))));
            assertThat(foreign.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void newIdTokenForUnknownUser_failsNamingTheUser() {
        assertThatThrownBy(() -> idp.idTokenForDatabaseUser("ghost@example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ghost@example.com");
    }
}

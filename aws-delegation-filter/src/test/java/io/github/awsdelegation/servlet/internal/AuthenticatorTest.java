package io.github.awsdelegation.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.CredentialSource;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.IdTokenValidator;
import io.github.awsdelegation.token.TokenRejectedException;
import io.github.awsdelegation.config.LoginSettings;
import io.github.awsdelegation.config.OidcSettings;
import io.github.awsdelegation.config.RequestSettings;
import io.github.awsdelegation.testkit.FakeClock;
import jakarta.servlet.http.HttpSession;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The authenticator stage against a real OIDC server (mock-oauth2-server) and a real Tomcat: what a request presents,
 * in order (bearer token, the login's session, the app's session token), and what it verifies.
 */
class AuthenticatorTest {

    static final String CLIENT_ID = "shop";

    static MockOAuth2Server oidc;
    static DelegationService service;
    static Authenticator authenticator;
    static final FakeClock clock = FakeClock.now();
    static Authenticator withLogin;
    static LocalServlet server;

    @BeforeAll
    static void start() throws Exception {
        oidc = new MockOAuth2Server();
        oidc.start(InetAddress.getByName("127.0.0.1"), 0);
        URI issuer = oidc.issuerUrl("idp").uri();
        DelegationConfig config = DelegationConfig.builder().oidc(OidcSettings.of(issuer, CLIENT_ID))
                .sts(StsSettings.builder().region(Region.US_EAST_1).build())
                .rules(List.of(DeclarativeRule.builder("everyone").connectionTypes(ConnectionType.values())
                        .grant(RoleGrant.of("arn:aws:iam::123456789012:role/web")).build()))
                .login(new LoginSettings(null, "/login", "/callback", "/logout", null, List.of("openid"), "/", "/", true,
                        Duration.ofMinutes(20), Duration.ofHours(1), false))
                .build();
        // The mock server's first answers are slow (class loading): generous timeouts measure the stage, not its start.
        service = DelegationService.create(config, IdTokenValidator.builder().issuer(issuer).clientId(CLIENT_ID)
                        .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(10)).build(),
                new CredentialSource() {
                    @Override
                    public IssuedCredentials issue(CredentialRequest request) {
                        throw new AssertionError("the authenticator never calls STS");
                    }

                    @Override
                    public void close() {
                    }
                }, Clock.systemUTC());
        authenticator = new Authenticator(service, null, Clock.systemUTC());
        withLogin = new Authenticator(service, refreshToken -> {
            throw new SessionEndedException("the provider refused the refresh token; sign in again");
        }, clock);
        server = new LocalServlet((request, response) -> {
            String path = request.getRequestURI();
            if (path.equals("/keep")) {
                request.getSession(true).setAttribute(RequestSettings.DEFAULT_SESSION_ATTRIBUTE, request.getParameter("token"));
                return;
            }
            if (path.equals("/sign-in")) {
                // As the callback does: the token validated once, the session started.
                String token = request.getParameter("token");
                request.getSession(true).setAttribute(RelyingPartySession.ATTRIBUTE, new RelyingPartySession(
                        service.validator().validate(token), token, null, clock.instant()));
                return;
            }
            if (path.equals("/restore")) {
                // As a container that persisted the session and read it back: the identity is not in the serialized form.
                HttpSession session = request.getSession(false);
                RelyingPartySession signedIn = (RelyingPartySession) session.getAttribute(RelyingPartySession.ATTRIBUTE);
                String other = request.getParameter("token");
                RelyingPartySession stored = other == null ? signedIn : new RelyingPartySession(
                        service.validator().validate(request.getParameter("as")), other, null, clock.instant());
                session.setAttribute(RelyingPartySession.ATTRIBUTE, roundTrip(stored));
                return;
            }
            try {
                SignedInUser user = (path.startsWith("/app") ? withLogin : authenticator)
                        .authenticate(request, !path.equals("/browser-only"));
                response.getWriter().write(user == null ? "nobody" : user.source() + " " + user.identity().subject()
                        + " cookie=" + user.viaCookie() + " token=" + (user.idToken().get().isEmpty() ? "none" : "given"));
            } catch (TokenRejectedException e) {
                response.getWriter().write("rejected: " + e.getMessage());
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        service.close();
        oidc.shutdown();
    }

    static RelyingPartySession roundTrip(RelyingPartySession session) throws java.io.IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(session);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (RelyingPartySession) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    static String token(String subject, String audience) {
        return oidc.issueToken("idp", audience, new DefaultOAuth2TokenCallback("idp", subject, "JWT", List.of(audience),
                Map.of("email", "x@example.com"), 3600)).serialize();
    }

    String get(String path, String... headers) throws Exception {
        var request = server.request(path);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = server.send(request);
        return response.body();
    }

    @Test
    @DisplayName("a bearer token is validated and gives the user, with the token for STS; it is not a cookie")
    void bearer() throws Exception {
        assertThat(get("/api", "Authorization", "Bearer " + token("alice", CLIENT_ID)))
                .isEqualTo("BEARER alice cookie=false token=given");
    }

    @Test
    @DisplayName("nothing presented is no user; a bearer token where only the browser's session counts is ignored")
    void nothingPresented() throws Exception {
        assertThat(get("/api")).isEqualTo("nobody");
        assertThat(get("/browser-only", "Authorization", "Bearer " + token("alice", CLIENT_ID))).isEqualTo("nobody");
    }

    @Test
    @DisplayName("a token of another client is rejected, naming the check and never the token")
    void bearer_otherAudience_rejected() throws Exception {
        String foreign = token("mallory", "another-app");

        assertThat(get("/api", "Authorization", "Bearer " + foreign)).startsWith("rejected: ").contains("aud")
                .doesNotContain(foreign);
    }

    @Test
    @DisplayName("a token the app put in the HTTP session is validated like a bearer token, and the session cookie authenticates")
    void appSessionToken() throws Exception {
        String token = token("bob", CLIENT_ID);
        HttpResponse<String> kept = server.send(server.request("/keep?token=" + token));
        String cookie = kept.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

        assertThat(get("/api", "Cookie", cookie)).isEqualTo("APP_SESSION bob cookie=true token=given");
    }

    String signIn(String path, String subject) throws Exception {
        HttpResponse<String> signedIn = server.send(server.request(path + "?token=" + token(subject, CLIENT_ID)));
        return signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    @Test
    @DisplayName("the login's session gives its user without validating again, and the session cookie authenticates")
    void loginSession() throws Exception {
        String cookie = signIn("/sign-in", "carol");

        assertThat(get("/app", "Cookie", cookie)).isEqualTo("LOGIN_SESSION carol cookie=true token=given");
        assertThat(get("/api", "Cookie", cookie)).as("without the login, its session is not a credential").isEqualTo("nobody");
    }

    @Test
    @DisplayName("a session idle for longer than login.idleTimeout ends: rejected once, saying why, then invalidated")
    void loginSession_idle_ended() throws Exception {
        String cookie = signIn("/sign-in", "dave");
        clock.advance(Duration.ofMinutes(21));
        try {
            assertThat(get("/app", "Cookie", cookie)).startsWith("rejected: ").contains("idle", "login.idleTimeout");
            assertThat(get("/app", "Cookie", cookie)).isEqualTo("nobody");
        } finally {
            clock.advance(Duration.ofMinutes(-21));
        }
    }

    @Test
    @DisplayName("a session restored by the container is validated again from its stored ID token, which must name the same user")
    void loginSession_restored() throws Exception {
        String cookie = signIn("/sign-in", "erin");
        server.send(server.request("/restore").header("Cookie", cookie));

        assertThat(get("/app", "Cookie", cookie)).isEqualTo("LOGIN_SESSION erin cookie=true token=given");

        String swapped = signIn("/sign-in", "frank");
        server.send(server.request("/restore?as=" + token("frank", CLIENT_ID) + "&token=" + token("mallory", CLIENT_ID))
                .header("Cookie", swapped));
        assertThat(get("/app", "Cookie", swapped)).startsWith("rejected: ").contains("names another user");
        assertThat(get("/app", "Cookie", swapped)).isEqualTo("nobody");
    }

    @Test
    @DisplayName("a back-channel logout naming the session's sid ends a restored (persisted or replicated) login session too")
    void loginSession_restored_thenBackchannelLogout_ended() throws Exception {
        String idToken = oidc.issueToken("idp", CLIENT_ID, new DefaultOAuth2TokenCallback("idp", "grace", "JWT", List.of(CLIENT_ID),
                Map.of("email", "g@example.com", "sid", "kc-session-7"), 3600)).serialize();
        HttpResponse<String> signedIn = server.send(server.request("/sign-in?token=" + idToken));
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        server.send(server.request("/restore").header("Cookie", cookie)); // as another node would hold it
        assertThat(get("/app", "Cookie", cookie)).isEqualTo("LOGIN_SESSION grace cookie=true token=given");

        service.logout(new io.github.awsdelegation.token.LogoutToken(service.validator().issuer().toString(), null,
                "kc-session-7", java.time.Instant.now()));

        assertThat(get("/app", "Cookie", cookie)).startsWith("rejected: ").contains("back-channel logout");
        assertThat(get("/app", "Cookie", cookie)).as("the session was invalidated").isEqualTo("nobody");
        assertThat(get("/api", "Authorization", "Bearer " + idToken)).as("the session's ID token as a bearer token")
                .startsWith("rejected: ").contains("back-channel logout");
        assertThat(get("/api", "Authorization", "Bearer " + token("grace", CLIENT_ID))).as("a token of another session")
                .startsWith("BEARER grace");
    }
}

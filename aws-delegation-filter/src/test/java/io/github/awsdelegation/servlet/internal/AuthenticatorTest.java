package io.github.awsdelegation.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.CredentialIssuer;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.IdTokenValidator;
import io.github.awsdelegation.token.TokenRejectedException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
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
    static LocalServlet server;

    @BeforeAll
    static void start() throws Exception {
        oidc = new MockOAuth2Server();
        oidc.start(InetAddress.getByName("127.0.0.1"), 0);
        URI issuer = oidc.issuerUrl("idp").uri();
        DelegationConfig config = DelegationConfig.builder().issuer(issuer).clientId(CLIENT_ID)
                .sts(StsSettings.builder().region(Region.US_EAST_1).build())
                .rules(List.of(DeclarativeRule.builder("everyone").connectionTypes(ConnectionType.values())
                        .grant(RoleGrant.of("arn:aws:iam::123456789012:role/web")).build()))
                .build();
        service = DelegationService.create(config, IdTokenValidator.builder().issuer(issuer).clientId(CLIENT_ID).build(),
                new CredentialIssuer() {
                    @Override
                    public IssuedCredentials issue(CredentialRequest request) {
                        throw new AssertionError("the authenticator never calls STS");
                    }

                    @Override
                    public void close() {
                    }
                }, Clock.systemUTC());
        authenticator = new Authenticator(service, null, Clock.systemUTC());
        server = new LocalServlet((request, response) -> {
            if (request.getRequestURI().equals("/keep")) {
                request.getSession(true).setAttribute(DelegationConfig.DEFAULT_SESSION_ATTRIBUTE, request.getParameter("token"));
                return;
            }
            try {
                SignedInUser user = authenticator.authenticate(request, !request.getRequestURI().equals("/browser-only"));
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
}

package io.github.awsdelegation.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.scope.ScopeRejectedException;
import io.github.awsdelegation.sts.CredentialsUnavailableException;
import io.github.awsdelegation.token.IssuerUnavailableException;
import io.github.awsdelegation.token.TokenRejectedException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The one place an outcome becomes an HTTP answer, on a real Tomcat: the status each exception's meaning calls for,
 * the headers it needs ({@code WWW-Authenticate}, {@code Retry-After} from the exception), and the body format.
 */
class AnswersTest {

    static final Map<String, DelegationException> OUTCOMES = Map.of(
            "/token", new TokenRejectedException("ID token rejected: audience \"other\" is not this app"),
            "/role", new RoleDeniedException("no rule grants a role to this user", "shoppers"),
            "/scope", new ScopeRejectedException("the session policy of rule 'shoppers' is 2049 characters"),
            "/sts", new CredentialsUnavailableException("AWS STS is unavailable right now (Throttling)", Duration.ofSeconds(7), null),
            "/issuer", new IssuerUnavailableException("OIDC discovery of issuer https://idp.example.com/ failed"),
            "/slow-issuer", new IssuerUnavailableException("the sign-in provider cannot be reached", Duration.ofMillis(1500), null),
            "/config", new ConfigurationException("rules[0].roles[0].tags.team", "uses unknown variable ${department}"));

    static LocalServlet server;

    @BeforeAll
    static void start() throws Exception {
        server = new LocalServlet((request, response) -> {
            String path = request.getRequestURI();
            if (path.equals("/login-required")) {
                Answers.send(request, response, Problem.loginRequired("the sign-in session was idle", "/login?return_to=%2F"),
                        ProblemFormat.JSON);
            } else if (path.startsWith("/oauth")) {
                Answers.send(request, response, OUTCOMES.get(path.substring("/oauth".length())), ProblemFormat.OAUTH_JSON);
            } else {
                Answers.send(request, response, OUTCOMES.get(path));
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        var request = server.request(path);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return server.send(request);
    }

    @Test
    @DisplayName("a rejected token is 401 with the RFC 6750 challenge naming the reason")
    void tokenRejected_401WithChallenge() throws Exception {
        HttpResponse<String> response = get("/token");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(
                "Bearer error=\"invalid_token\", error_description=\"ID token rejected: audience ?other? is not this app\"");
        assertThat(response.body()).contains("\"error\":\"invalid_token\"", "audience \\\"other\\\"");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    @DisplayName("a denied role and a rejected scope are both access denied: 403 with the message, no challenge")
    void accessDenied_403() throws Exception {
        for (String path : new String[] {"/role", "/scope"}) {
            HttpResponse<String> response = get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(403);
            assertThat(response.body()).as(path).contains("\"error\":\"access_denied\"", OUTCOMES.get(path).getMessage());
            assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
        }
    }

    @Test
    @DisplayName("503 carries the exception's own Retry-After: STS's setting, the discovery retry interval, a wait rounded up")
    void unavailable_retryAfterFromTheException() throws Exception {
        assertThat(get("/sts").headers().firstValue("Retry-After")).hasValue("7");
        assertThat(get("/issuer").headers().firstValue("Retry-After"))
                .hasValue(Long.toString(IssuerUnavailableException.DEFAULT_RETRY_AFTER.toSeconds()));
        HttpResponse<String> slow = get("/slow-issuer");
        assertThat(slow.statusCode()).isEqualTo(503);
        assertThat(slow.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(slow.body()).contains("\"error\":\"temporarily_unavailable\"");
    }

    @Test
    @DisplayName("a misconfiguration met while serving is 500 pointing to the server log, never the configuration's text")
    void configuration_500WithoutDetails() throws Exception {
        HttpResponse<String> response = get("/config");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("server log").doesNotContain("department", "rules[0]");
    }

    @Test
    @DisplayName("a browser navigation gets a readable page, HTML-escaped, with the wait; a script gets JSON")
    void negotiation_pageForNavigations() throws Exception {
        HttpResponse<String> page = get("/sts", "Sec-Fetch-Mode", "navigate");
        HttpResponse<String> script = get("/sts", "Sec-Fetch-Mode", "cors", "Accept", "text/html");
        HttpResponse<String> token = get("/token", "Accept", "text/html");

        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<code>503 temporarily_unavailable</code>", "try again in 7 s");
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(token.body()).contains("&quot;other&quot;").doesNotContain("\"other\"");
    }

    @Test
    @DisplayName("the Auth0 delegation endpoint's format is OAuth's {error, error_description}, with the same status and headers")
    void oauthFormat() throws Exception {
        HttpResponse<String> response = get("/oauth/sts", "Sec-Fetch-Mode", "navigate");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(response.body()).isEqualTo("{\"error\":\"temporarily_unavailable\","
                + "\"error_description\":\"AWS STS is unavailable right now (Throttling)\"}");
    }

    @Test
    @DisplayName("login_required is a 401 with its challenge and a JSON body naming the login URL")
    void loginRequired() throws Exception {
        HttpResponse<String> response = get("/login-required");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(
                "Bearer error=\"login_required\", error_description=\"the sign-in session was idle\"");
        assertThat(response.body()).contains("\"error\":\"login_required\"", "\"error_description\":\"the sign-in session was idle\"",
                "\"login\":\"/login?return_to=%2F\"");
    }
}

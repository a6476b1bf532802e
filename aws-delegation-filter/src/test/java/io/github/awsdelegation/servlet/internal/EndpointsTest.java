package io.github.awsdelegation.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.config.ConfigurationException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The router of the module's endpoints, on a real Tomcat: exact paths, 405 with Allow, the endpoint's format. */
class EndpointsTest {

    static LocalServlet server;

    @BeforeAll
    static void start() throws Exception {
        Endpoints endpoints = new Endpoints(List.of(
                Endpoint.of("/saml/roles", List.of("GET", "HEAD"), "use GET to list roles",
                        (request, response) -> response.getWriter().write("roles")),
                new Endpoint() {
                    @Override
                    public String path() {
                        return "/delegation";
                    }

                    @Override
                    public List<String> methods() {
                        return List.of("POST", "OPTIONS");
                    }

                    @Override
                    public String usage() {
                        return "use POST";
                    }

                    @Override
                    public ProblemFormat problemFormat() {
                        return ProblemFormat.OAUTH_JSON;
                    }

                    @Override
                    public void handle(jakarta.servlet.http.HttpServletRequest request,
                            jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
                        response.getWriter().write("delegated");
                    }
                }));
        server = new LocalServlet((request, response) -> {
            if (!endpoints.handle(request.getRequestURI(), request, response)) {
                response.getWriter().write("the app");
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    @DisplayName("a request at an endpoint's path with one of its methods reaches it; any other path is the app's")
    void routesExactPaths() throws Exception {
        assertThat(server.send(server.request("/saml/roles")).body()).isEqualTo("roles");
        assertThat(server.send(server.request("/saml/roles/x")).body()).isEqualTo("the app");
        assertThat(server.send(server.request("/saml")).body()).isEqualTo("the app");
        assertThat(server.send(server.request("/delegation").POST(HttpRequest.BodyPublishers.noBody())).body())
                .isEqualTo("delegated");
    }

    @Test
    @DisplayName("another method is 405 with Allow listing the endpoint's methods, its usage, in its own format")
    void otherMethod_405() throws Exception {
        HttpResponse<String> roles = server.send(server.request("/saml/roles").POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> delegation = server.send(server.request("/delegation"));

        assertThat(roles.statusCode()).isEqualTo(405);
        assertThat(roles.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(roles.body()).contains("\"error\":\"method_not_allowed\"", "use GET to list roles");
        assertThat(delegation.statusCode()).isEqualTo(405);
        assertThat(delegation.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
        assertThat(delegation.body()).isEqualTo("{\"error\":\"method_not_allowed\",\"error_description\":\"use POST\"}");
    }

    @Test
    @DisplayName("two endpoints at one path fail the deployment, naming the path")
    void samePath_refused() {
        Endpoint a = Endpoint.of("/saml/console", List.of("GET"), "use GET", (request, response) -> { });
        Endpoint b = Endpoint.of("/saml/console", List.of("GET"), "use GET", (request, response) -> { });

        assertThatThrownBy(() -> new Endpoints(List.of(a, b))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("/saml/console").hasMessageContaining("give each its own path");
    }
}

package io.github.awsdelegation.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.cdi.support.SigV4Endpoint;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;

/** The execute-api client against a local endpoint that checks each signature with the SDK's own signer. */
class ExecuteApiClientTest {

    static final AwsSessionCredentials ALICE = AwsSessionCredentials.create("ASIAALICE00000000001",
            "alice-secret-alice-secret-alice-secret-0", "alice-session-token");
    static final AwsSessionCredentials BOB = AwsSessionCredentials.create("ASIABOB0000000000002",
            "bob-secret-bob-secret-bob-secret-bob-00", "bob-session-token");

    final SigV4Endpoint endpoint = SigV4Endpoint.start(key -> Optional.ofNullable(Map.of(
            ALICE.accessKeyId(), new SigV4Endpoint.Secret(ALICE.secretAccessKey(), ALICE.sessionToken(), "alice"),
            BOB.accessKeyId(), new SigV4Endpoint.Secret(BOB.secretAccessKey(), BOB.sessionToken(), "bob")).get(key)));
    final AtomicReference<AwsSessionCredentials> currentUser = new AtomicReference<>(ALICE);
    final ExecuteApiClient client = ExecuteApiClient.builder()
            .credentialsProvider(currentUser::get)
            .region(Region.EU_WEST_1)
            .build();

    @AfterEach
    void close() {
        client.close();
        endpoint.close();
    }

    URI api(String path) {
        return endpoint.uri().resolve(path);
    }

    @Test
    @DisplayName("a GET is signed with SigV4 for execute-api, with the session token, exactly as the SDK's signer signs it")
    void get_signed() {
        ExecuteApiResponse response = client.get(api("/prod/pets?kind=cat&name=Tom%20Cat"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsString()).contains("\"caller\":\"alice\"", "\"path\":\"/prod/pets\"");
        assertThat(endpoint.calls()).singleElement().satisfies(call -> {
            assertThat(call.verdict()).isEqualTo("OK");
            assertThat(call.service()).isEqualTo("execute-api");
            assertThat(call.region()).isEqualTo("eu-west-1");
            assertThat(call.accessKeyId()).isEqualTo(ALICE.accessKeyId());
        });
    }

    @Test
    @DisplayName("a POST's body is covered by the signature and reaches the API")
    void post_signedBody() {
        ExecuteApiResponse response = client.postJson(api("/prod/orders"), "{\"pet\":\"Tom\"}");

        assertThat(response.isSuccessful()).isTrue();
        assertThat(response.bodyAsString()).contains("\"method\":\"POST\"", "{\\\"pet\\\":\\\"Tom\\\"}");
        assertThat(endpoint.calls()).singleElement().extracting(SigV4Endpoint.Call::verdict).isEqualTo("OK");
    }

    @Test
    @DisplayName("credentials are asked for on every call: one long-lived client signs for whoever is current")
    void credentialsPerCall() {
        client.get(api("/prod/pets"));
        currentUser.set(BOB);
        client.get(api("/prod/pets"));

        assertThat(endpoint.calls()).extracting(SigV4Endpoint.Call::principal).containsExactly("alice", "bob");
        assertThat(endpoint.calls()).extracting(SigV4Endpoint.Call::verdict).containsOnly("OK");
    }

    @Test
    @DisplayName("a request signed with the wrong secret is refused: the endpoint really checks signatures")
    void wrongSecret_refused() {
        currentUser.set(AwsSessionCredentials.create(ALICE.accessKeyId(), "not-alices-secret-not-alices-secret-000",
                ALICE.sessionToken()));

        ExecuteApiResponse response = client.get(api("/prod/pets"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.bodyAsString()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    @DisplayName("an unreachable API fails with the method and URL, and no credential in the message")
    void unreachable() {
        URI closed = api("/prod/pets");
        endpoint.close();

        assertThatThrownBy(() -> client.get(closed))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("execute-api call GET " + closed + " failed")
                .message().doesNotContain(ALICE.secretAccessKey()).doesNotContain(ALICE.sessionToken());
    }

    @Test
    @DisplayName("plain http is refused before anything is signed or sent (the session token would travel in clear), except to loopback")
    void plainHttp_refusedUnlessLoopback() {
        for (String url : List.of("http://abc123.execute-api.eu-west-1.amazonaws.com/prod/pets", "http://api.example.com/pets",
                "http://10.0.0.7/pets")) {
            assertThatThrownBy(() -> client.get(URI.create(url)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is plain http")
                    .hasMessageContaining("use https");
        }
        for (String url : List.of("http://127.0.0.1:8080/pets", "http://[::1]:8080/pets", "http://localhost:8080/pets",
                "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/pets")) {
            assertThat(ExecuteApiRequest.get(URI.create(url)).uri()).isEqualTo(URI.create(url));
        }
        assertThat(endpoint.calls()).isEmpty();
    }

    @Test
    @DisplayName("a response body over maxResponseBytes fails the call with the limit and the status; one at the limit is read")
    void responseBody_bounded() throws IOException {
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/", exchange -> {
            int size = Integer.parseInt(exchange.getRequestURI().getPath().substring(1));
            exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length to trust
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(new byte[size]);
            } catch (IOException ignored) {
                // the client stopped reading
            }
        });
        api.start();
        try (ExecuteApiClient bounded = ExecuteApiClient.builder().credentialsProvider(currentUser::get).region(Region.EU_WEST_1)
                .maxResponseBytes(1000).build()) {
            URI base = URI.create("http://127.0.0.1:" + api.getAddress().getPort() + "/");

            assertThat(bounded.get(base.resolve("/1000")).body()).hasSize(1000);
            assertThatThrownBy(() -> bounded.get(base.resolve("/5000000")))
                    .isInstanceOf(ExecuteApiResponseTooLargeException.class)
                    .hasMessageContaining("GET " + base.resolve("/5000000"))
                    .hasMessageContaining("answered 200 with a body over the 1000-byte limit")
                    .hasMessageContaining("clients.executeApi.maxResponseBytes")
                    .message().doesNotContain(ALICE.sessionToken());
        } finally {
            api.stop(0);
        }
        assertThatThrownBy(() -> ExecuteApiClient.builder().maxResponseBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxResponseBytes");
    }

    @Test
    @DisplayName("a request may not set the signing headers itself, and never prints its body")
    void request_rules() {
        assertThatThrownBy(() -> ExecuteApiRequest.builder().uri(api("/x")).header("Authorization", "AWS4 forged"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header Authorization is set by the client when it signs the request");
        assertThatThrownBy(() -> ExecuteApiRequest.get(URI.create("/relative")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an absolute http(s) URL");
        ExecuteApiRequest request = ExecuteApiRequest.post(api("/prod/orders"), "application/json",
                "{\"card\":\"4111\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(request.toString()).doesNotContain("4111").contains("POST", "/prod/orders", "15 bytes");
    }
}

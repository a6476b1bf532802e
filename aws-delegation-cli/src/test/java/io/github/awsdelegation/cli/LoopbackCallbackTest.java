package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoopbackCallbackTest {

    static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    static HttpResponse<String> post(URI uri, String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void await_postWithTheState_returnsTheResponse_andAnswersACloseThisWindowPage() throws Exception {
        try (LoopbackCallback callback = LoopbackCallback.start(0, "/saml")) {
            assertThat(callback.uri().toString()).matches("http://127\\.0\\.0\\.1:\\d+/saml");
            assertThat(callback.state()).hasSizeGreaterThanOrEqualTo(40);

            HttpResponse<String> page = post(callback.uri(), "SAMLResponse=" + enc("PHNhbWw+") + "&state=" + enc(callback.state()));

            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("You can close this window.");
            assertThat(callback.await(Duration.ofSeconds(5))).isEqualTo("PHNhbWw+");
        }
    }

    @Test
    void wrongOrMissingState_isRefused_andTheWaitGoesOn() throws Exception {
        try (LoopbackCallback callback = LoopbackCallback.start(0, "/saml")) {
            assertThat(post(callback.uri(), "SAMLResponse=forged&state=guess").statusCode()).isEqualTo(400);
            assertThat(post(callback.uri(), "SAMLResponse=forged").statusCode()).isEqualTo(400);
            assertThat(HTTP.send(HttpRequest.newBuilder(callback.uri()).GET().build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(405);
            assertThat(post(callback.uri().resolve("/other"), "state=" + enc(callback.state())).statusCode()).isEqualTo(404);

            post(callback.uri(), "SAMLResponse=right&state=" + enc(callback.state()));

            assertThat(callback.await(Duration.ofSeconds(5))).isEqualTo("right");
        }
    }

    @Test
    void await_nothingArrives_endsWithAClearMessage() {
        try (LoopbackCallback callback = LoopbackCallback.start(0, "/saml")) {
            assertThatThrownBy(() -> callback.await(Duration.ofMillis(200))).isInstanceOf(CliException.class)
                    .hasMessageStartingWith("no sign-in arrived from the browser within 0 seconds").hasMessageContaining("--timeout");
        }
    }

    @Test
    void start_portTaken_saysSo() {
        try (LoopbackCallback first = LoopbackCallback.start(0, "/saml")) {
            int port = first.uri().getPort();
            assertThatThrownBy(() -> LoopbackCallback.start(port, "/saml")).isInstanceOf(CliException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + port).hasMessageContaining("--port");
        }
    }
}

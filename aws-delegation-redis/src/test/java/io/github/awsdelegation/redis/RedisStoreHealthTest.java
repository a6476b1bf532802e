package io.github.awsdelegation.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.health.HealthReport;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The readiness view reads the clustered store's own reachability: up with the real redis-server, down without it. */
class RedisStoreHealthTest {

    static RedisServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = new RedisServer();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static DelegationService service(String uri) {
        return DelegationService.create(DelegationConfigLoader.withVariables(Map.of("REDIS", uri,
                "KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")).parse("""
                oidc:
                  issuer: https://idp.example.com/
                  clientId: pet-shop
                sts:
                  region: us-east-1
                  endpoint: http://127.0.0.1:9/
                cache:
                  store: redis
                  encryption:
                    keys:
                      k1: ${KEY}
                  redis:
                    uri: ${REDIS}
                    timeout: 500ms
                rules:
                  - id: everyone
                    connectionType: [database, social, enterprise, passwordless, unknown]
                    roles:
                      - arn: arn:aws:iam::123456789012:role/pet-shop-buyer
                """));
    }

    @Test
    @DisplayName("a Redis store that reaches its server: credentialStore up")
    void reachable_up() {
        try (DelegationService service = service(server.uri())) {
            HealthReport.Check store = service.health().report().check("credentialStore");

            assertThat(store.up()).as(store.detail()).isTrue();
            assertThat(store.detail()).isEqualTo("the clustered credential store reaches its grid");
            assertThat(store.data()).containsEntry("fallbackActive", false).containsEntry("store", "GridCredentialStore");
        }
    }

    @Test
    @DisplayName("a Redis store whose server is down: credentialStore down, saying it caches in this JVM meanwhile")
    void unreachable_down() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (DelegationService service = service("redis://127.0.0.1:" + closedPort)) {
            HealthReport report = service.health().report();

            assertThat(report.ready()).isFalse();
            HealthReport.Check store = report.check("credentialStore");
            assertThat(store.up()).isFalse();
            assertThat(store.detail()).startsWith("the clustered credential store cannot reach its grid");
            assertThat(store.data()).containsEntry("fallbackActive", true).containsEntry("fallbacks", 1L);
        }
    }
}

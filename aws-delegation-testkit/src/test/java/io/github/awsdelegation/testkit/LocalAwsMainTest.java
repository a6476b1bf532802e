package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LocalAwsMainTest {

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    @Test
    void startDemo_givenPorts_runsBothThereUntilClosed() throws Exception {
        int idpPort = freePort();
        int stsPort = freePort();
        URI discovery;
        try (LocalAws aws = LocalAwsMain.startDemo(idpPort, stsPort)) {
            assertThat(aws.identityProvider().issuer()).isEqualTo(URI.create("http://127.0.0.1:" + idpPort + "/"));
            assertThat(aws.sts().endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + stsPort));
            discovery = aws.identityProvider().discoveryUri();
            assertThat(TestSupport.get(discovery).statusCode()).isEqualTo(200);
            assertThat(aws.identityProvider().clientIds()).containsExactly(Demo.CLIENT_ID);
            assertThat(aws.sts().role(Demo.ADMIN_ROLE_ARN)).isPresent();
        }
        assertThatThrownBy(() -> TestSupport.get(discovery)).isInstanceOf(ConnectException.class);
    }

    @Test
    void printBanner_namesIssuerEndpointUsersAndRoles() {
        try (LocalAws aws = LocalAwsMain.startDemo()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            LocalAwsMain.printBanner(aws, new PrintStream(out, true, StandardCharsets.UTF_8));

            assertThat(out.toString(StandardCharsets.UTF_8)).contains(aws.identityProvider().issuer().toString(),
                    aws.sts().endpoint().toString(), "admin@example.com / admin-password", "buyer@example.com",
                    Demo.BUYER_ROLE_ARN, Demo.ADMIN_ROLE_ARN, "pet-shop");
        }
    }

    @Test
    void startDemo_portTaken_failsNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> LocalAwsMain.startDemo(taken.getLocalPort(), 0))
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
    }
}

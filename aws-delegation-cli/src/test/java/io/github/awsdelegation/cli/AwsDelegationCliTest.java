package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AwsDelegationCliTest {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(Path home, String... args) {
        return new AwsDelegationCli(home, uri -> {
            throw new AssertionError("no browser in this test");
        }, Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
    }

    @Test
    void noUrl_saysHowToGiveOne(@TempDir Path home) {
        assertThat(run(home, "login", "--show")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no app URL: pass --url");
    }

    @Test
    @DisplayName("by default the callback is http://127.0.0.1 on a port the system chooses (RFC 8252), never localhost:12200")
    void noBrowser_printsTheUrl_thenTimesOutWithAClearMessage(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".aws-delegation"));
        Files.writeString(home.resolve(".aws-delegation/config"), "url = https://shop.example.com/app/\ntimeout = 1\n");

        assertThat(run(home, "login", "--show", "--no-browser")).isEqualTo(1);

        String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .containsPattern("  https://shop\\.example\\.com/app/saml/cli\\?callback=http%3A%2F%2F127\\.0\\.0\\.1%3A\\d+%2Fsaml&state=[\\w-]{43}\n")
                .doesNotContain("localhost").doesNotContain("%3A12200%2F")
                .containsPattern("confirm there that port \\d+ may receive the sign-in")
                .contains("aws-delegation: no sign-in arrived from the browser within 1 seconds");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    @DisplayName("--port fixes the callback's port; --role asks for that role alone")
    void port_andRole_areInTheUrl(@TempDir Path home) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = free.getLocalPort();
        }
        Files.createDirectories(home.resolve(".aws-delegation"));
        Files.writeString(home.resolve(".aws-delegation/config"), "url = https://shop.example.com/app/\ntimeout = 1\n");

        assertThat(run(home, "login", "--show", "--no-browser", "--port", Integer.toString(port), "--role",
                "arn:aws:iam::123456789012:role/tagged")).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("callback=http%3A%2F%2F127.0.0.1%3A" + port + "%2Fsaml&state=")
                .contains("&role=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Ftagged\n");
    }

    @Test
    void credentialProcess_withoutProfile_isRefused(@TempDir Path home) {
        assertThat(run(home, "credential-process", "--url", "https://shop.example.com")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("credential-process needs a profile: -p Role@alias");
    }

    @Test
    void help_listsTheCommands(@TempDir Path home) {
        assertThat(run(home, "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("login", "credential-process", "console");
    }

    @Test
    void configNotANumber_namesTheKey(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".aws-delegation"));
        Files.writeString(home.resolve(".aws-delegation/config"), "url = https://shop.example.com\ntimeout = soon\n");

        assertThat(run(home, "login", "--show", "--no-browser", "--port", "0")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("aws-delegation: the configuration's timeout must be a number, not 'soon'");
    }

    @Test
    @DisplayName("the home is $HOME when set, as the AWS CLI's; Java's user.home only without it")
    void home_isTheHomeVariable_elseUserHome() {
        assertThat(AwsDelegationCli.home("/home/ci", "/root")).isEqualTo(Path.of("/home/ci"));
        assertThat(AwsDelegationCli.home(null, "/root")).isEqualTo(Path.of("/root"));
        assertThat(AwsDelegationCli.home("", "/root")).isEqualTo(Path.of("/root"));
    }

    @Test
    @DisplayName("credential_process values are quoted as the AWS CLI splits the line (POSIX shell words)")
    void quote_leavesPlainWords_quotesTheRest() {
        assertThat(AwsDelegationCli.quote("http://127.0.0.1:8080/shop")).isEqualTo("http://127.0.0.1:8080/shop");
        assertThat(AwsDelegationCli.quote("pet-shop-admin@pet-shop")).isEqualTo("pet-shop-admin@pet-shop");
        assertThat(AwsDelegationCli.quote("/home/me/My Files/cli.jar")).isEqualTo("'/home/me/My Files/cli.jar'");
        assertThat(AwsDelegationCli.quote("it's")).isEqualTo("'it'\\''s'");
    }
}

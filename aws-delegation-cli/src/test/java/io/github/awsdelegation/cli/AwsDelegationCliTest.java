package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
    void noBrowser_printsTheUrl_thenTimesOutWithAClearMessage(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".aws-delegation"));
        Files.writeString(home.resolve(".aws-delegation/config"), "url = https://shop.example.com/app/\ntimeout = 1\n");

        assertThat(run(home, "login", "--show", "--no-browser", "--port", "0")).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8))
                .containsPattern("  https://shop\\.example\\.com/app/saml/cli\\?callback=http%3A%2F%2Flocalhost%3A\\d+%2Fsaml&state=[\\w-]{43}")
                .contains("aws-delegation: no sign-in arrived from the browser within 1 seconds");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
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
}

package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the CLI in this JVM with {@code --no-browser}; when it prints a sign-in URL, the test's browser opens it, checks
 * that the app's confirmation page names the port the CLI listens on and confirms it, as the user would, and submits the
 * app's next page to the CLI's loopback callback, as a real browser's script would.
 */
final class CliRunner {

    static final Pattern URL = Pattern.compile("  (http://127\\.0\\.0\\.1:\\d+/shop/saml/cli\\?\\S+)");

    /** What one CLI run printed and returned. */
    record Result(int status, String out, String err) {
    }

    private final Path home;
    private final Browser browser;

    CliRunner(Path home, Browser browser) {
        this.home = home;
        this.browser = browser;
    }

    /**
     * Does what the user does with the URL the CLI printed: opens it (signing in at the IdP), checks that the app's
     * confirmation page names the port in the URL's callback, confirms, and lets the next page post to the callback.
     *
     * @return the callback's port
     */
    static int confirm(Browser browser, URI start) {
        String port = URLDecoder.decode(start.getRawQuery(), StandardCharsets.UTF_8).replaceAll(".*callback=http://127\\.0\\.0\\.1:(\\d+)/.*", "$1");
        // The app asks first: the user sees the port the CLI said it listens on, and confirms.
        HttpResponse<String> confirmation = browser.open(start);
        assertThat(confirmation.statusCode()).as(confirmation.body()).isEqualTo(200);
        assertThat(confirmation.body()).contains("Sign in the command-line client?", "listening on <strong>port " + port + "</strong>")
                .doesNotContain("SAMLResponse");
        HttpResponse<String> page = browser.submit(confirmation);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        HttpResponse<String> done = browser.submit(page);
        assertThat(done.body()).contains("You can close this window.");
        return Integer.parseInt(port);
    }

    Result run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--no-browser"; // and no --port: the default, a port the system chooses
        AwsDelegationCli cli = new AwsDelegationCli(home, uri -> {
            throw new AssertionError("--no-browser opens no browser");
        }, Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cli.run(all));
        Instant deadline = Instant.now().plusSeconds(30);
        while (!run.isDone() && Instant.now().isBefore(deadline)) {
            Matcher url = URL.matcher(err.toString(StandardCharsets.UTF_8));
            if (url.find()) {
                confirm(browser, URI.create(url.group(1)));
                break;
            }
            Thread.sleep(20);
        }
        int status = run.get(30, TimeUnit.SECONDS);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

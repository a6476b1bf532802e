package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
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
 * Runs the CLI in this JVM with {@code --no-browser}; when it prints a sign-in URL, the test's browser opens it and
 * submits the app's page to the CLI's loopback callback, as a real browser's script would.
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

    Result run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 3];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--no-browser";
        all[args.length + 1] = "--port";
        all[args.length + 2] = "0";
        AwsDelegationCli cli = new AwsDelegationCli(home, uri -> {
            throw new AssertionError("--no-browser opens no browser");
        }, Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cli.run(all));
        Instant deadline = Instant.now().plusSeconds(30);
        while (!run.isDone() && Instant.now().isBefore(deadline)) {
            Matcher url = URL.matcher(err.toString(StandardCharsets.UTF_8));
            if (url.find()) {
                HttpResponse<String> page = browser.open(URI.create(url.group(1)));
                assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
                HttpResponse<String> done = browser.submit(page);
                assertThat(done.body()).contains("You can close this window.");
                break;
            }
            Thread.sleep(20);
        }
        int status = run.get(30, TimeUnit.SECONDS);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

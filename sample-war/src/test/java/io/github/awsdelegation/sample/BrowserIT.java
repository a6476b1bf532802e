package io.github.awsdelegation.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The pet shop in a real browser: starts the sample as README's run command does and runs the Node suite in
 * {@code src/test/browser} ({@code node --test}, playwright-core driving Debian's Chromium) against it. The suite
 * walks every flow a person can take and writes a screenshot of each key state to
 * {@code target/browser-screenshots}; its report is this test's output.
 *
 * <p>Maven's {@code pre-integration-test} phase installs the suite's one dependency ({@code npm ci}). Chromium is
 * Debian's ({@code apt-get install chromium}, as {@code .ci/run} does): without it the test is skipped on a
 * developer's machine and fails on CI, where a skipped browser suite would hide a missing install step.
 */
class BrowserIT {

    /** Where Debian's {@code chromium} package installs the browser, and where the suite looks for it. */
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SUITE = Path.of("src/test/browser").toAbsolutePath();
    private static final Path SCREENSHOTS = Path.of("target/browser-screenshots").toAbsolutePath();
    /** The whole suite takes well under a minute; this bounds a hung browser or server on a busy CI machine. */
    private static final Duration SUITE_TIMEOUT = Duration.ofMinutes(10);
    // Files one after another: they share the sample's pets and a 2-core machine gains nothing from two browsers.
    private static final List<String> NODE_TEST = List.of("node", "--test", "--test-concurrency=1", "--test-reporter=spec");

    @Test
    @DisplayName("in Chromium, a buyer and an admin sign in, shop, get friendly denials, use their files, "
            + "list roles, reach the AWS console sign-in and sign out")
    void petShop_inChromium_everyFlowWorks() throws Exception {
        requireChromium();
        assertThat(SUITE.resolve("node_modules/playwright-core")).as("the suite's dependencies: mvn verify runs npm ci in "
                + SUITE + " during pre-integration-test; run it there by hand when starting this test from an IDE").isDirectory();

        SampleLauncher.Running sample = SampleLauncher.start(new File("target/sample-war"), 0);
        try {
            int exitCode = runSuite("http://127.0.0.1:" + sample.port() + "/");

            assertThat(exitCode).as("node --test exit code; the suite's report is above, screenshots in " + SCREENSHOTS)
                    .isZero();
        } finally {
            sample.close();
        }
    }

    private static void requireChromium() {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        String missing = "Chromium is not installed at " + CHROMIUM + "; the browser tests need Debian's package: "
                + "apt-get install chromium (.ci/run installs it)";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            fail(missing);
        }
        assumeTrue(false, missing);
    }

    private static int runSuite(String sampleUrl) throws IOException, InterruptedException {
        Files.createDirectories(SCREENSHOTS);
        ProcessBuilder builder = new ProcessBuilder(NODE_TEST).directory(SUITE.toFile()).redirectErrorStream(true);
        builder.environment().put("SAMPLE_URL", sampleUrl);
        builder.environment().put("SCREENSHOT_DIR", SCREENSHOTS.toString());
        builder.environment().put("CHROMIUM_PATH", CHROMIUM.toString());
        Process suite = builder.start();
        // Through System.out line by line, not inheritIO: Failsafe's forked JVM reports over its own stdout.
        Thread forward = new Thread(() -> forward(suite), "browser-suite-output");
        forward.setDaemon(true);
        forward.start();
        if (!suite.waitFor(SUITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            suite.descendants().forEach(ProcessHandle::destroyForcibly);
            suite.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            forward.join(Duration.ofSeconds(5).toMillis());
            fail("the browser suite did not finish within " + SUITE_TIMEOUT + " and was stopped");
        }
        forward.join(Duration.ofSeconds(10).toMillis());
        return suite.exitValue();
    }

    private static void forward(Process process) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println("[browser] " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

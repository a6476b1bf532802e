package io.github.awsdelegation.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Node suites of {@code src/test/browser} ({@code node --test}, playwright-core driving Debian's Chromium) for
 * {@link BrowserIT} and the Keycloak suite: their report goes to this test's output, their screenshots to
 * {@code target/browser-screenshots}.
 *
 * <p>Maven's {@code pre-integration-test} phase installs the suites' one dependency ({@code npm ci}). Chromium is
 * Debian's ({@code apt-get install chromium}, as {@code .ci/run} does): without it the test is skipped on a
 * developer's machine and fails on CI, where a skipped browser suite would hide a missing install step.
 */
public final class BrowserSuite {

    /** Where Debian's {@code chromium} package installs the browser, and where the suite looks for it. */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** The suites' folder, with its {@code node_modules}. */
    public static final Path SUITE = Path.of("src/test/browser").toAbsolutePath();
    /** Where the suites write their screenshots. */
    public static final Path SCREENSHOTS = Path.of("target/browser-screenshots").toAbsolutePath();
    // Files one after another: they share the sample's pets and a 2-core machine gains nothing from two browsers.
    private static final List<String> NODE_TEST = List.of("node", "--test", "--test-concurrency=1", "--test-reporter=spec");

    private BrowserSuite() {
    }

    /** Skips the calling test when Chromium is missing on a developer's machine; fails it on CI. */
    public static void requireChromiumAndDependencies() {
        if (!Files.isExecutable(CHROMIUM)) {
            String missing = "Chromium is not installed at " + CHROMIUM + "; the browser tests need Debian's package: "
                    + "apt-get install chromium (.ci/run installs it)";
            String ci = System.getenv("CI");
            if (ci != null && !ci.isBlank()) {
                fail(missing);
            }
            assumeTrue(false, missing);
        }
        assertThat(SUITE.resolve("node_modules/playwright-core")).as("the suite's dependencies: mvn verify runs npm ci in "
                + SUITE + " during pre-integration-test; run it there by hand when starting this test from an IDE").isDirectory();
    }

    /**
     * Runs {@code node --test} in {@link #SUITE} on {@code files} (all of the folder's {@code *.test.js} when empty)
     * against the sample at {@code sampleUrl}, with {@code environment} added, and answers its exit code.
     */
    public static int run(String sampleUrl, List<String> files, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(SCREENSHOTS);
        List<String> command = new ArrayList<>(NODE_TEST);
        command.addAll(files);
        ProcessBuilder builder = new ProcessBuilder(command).directory(SUITE.toFile()).redirectErrorStream(true);
        builder.environment().put("SAMPLE_URL", sampleUrl);
        builder.environment().put("SCREENSHOT_DIR", SCREENSHOTS.toString());
        builder.environment().put("CHROMIUM_PATH", CHROMIUM.toString());
        builder.environment().putAll(environment);
        Process suite = builder.start();
        // Through System.out line by line, not inheritIO: Failsafe's forked JVM reports over its own stdout.
        Thread forward = new Thread(() -> forward(suite), "browser-suite-output");
        forward.setDaemon(true);
        forward.start();
        if (!suite.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            suite.descendants().forEach(ProcessHandle::destroyForcibly);
            suite.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            forward.join(Duration.ofSeconds(5).toMillis());
            fail("the browser suite did not finish within " + timeout + " and was stopped");
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

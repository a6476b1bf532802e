package io.github.awsdelegation.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The pet shop in a real browser: starts the sample as README's run command does and runs the Node suite in
 * {@code src/test/browser} ({@code node --test}, playwright-core driving Debian's Chromium; see {@link BrowserSuite})
 * against it. The suite walks every flow a person can take and writes a screenshot of each key state to
 * {@code target/browser-screenshots}; its report is this test's output.
 */
class BrowserIT {

    /** The whole suite takes well under a minute; this bounds a hung browser or server on a busy CI machine. */
    private static final Duration SUITE_TIMEOUT = Duration.ofMinutes(10);

    @Test
    @DisplayName("in Chromium, a buyer and an admin sign in, shop, get friendly denials, use their files, "
            + "list roles, reach the AWS console sign-in and sign out")
    void petShop_inChromium_everyFlowWorks() throws Exception {
        BrowserSuite.requireChromiumAndDependencies();

        SampleLauncher.Running sample = SampleLauncher.start(new File("target/sample-war"), 0);
        try {
            int exitCode = BrowserSuite.run("http://127.0.0.1:" + sample.port() + "/", List.of(), Map.of(), SUITE_TIMEOUT);

            assertThat(exitCode).as("node --test exit code; the suite's report is above, screenshots in " + BrowserSuite.SCREENSHOTS)
                    .isZero();
        } finally {
            sample.close();
        }
    }
}

package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.scope.internal.RoleSessionNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as users run it: {@code java -jar target/aws-delegation-cli-all.jar} in a child process, with
 * {@code HOME} pointing at a temporary directory and Java's {@code user.home} left as it is. The test is the browser:
 * it reads the sign-in URL from the child's standard error and confirms, as a user would.
 */
class CliProcessIT {

    static final String PROFILE = "pet-shop-reports@123456789012"; // no aliases file: the account's number

    final ShopApp app = ShopApp.get();

    @TempDir
    Path home;

    @Test
    @DisplayName("login --show prints a credential_process line with every option it was given; sh and the real AWS CLI run it as it is")
    void loginShow_credentialProcessLine_keepsItsOptions_andRunsInTheAwsCli() throws Exception {
        // No configuration file: the app, the STS and the port are flags only, so the line must carry them.
        int port = freePort();
        String sts = app.aws.sts().endpoint().toString();

        Child show = run(List.of("login", "--show", "--no-browser", "--url", app.url.toString(), "--sts-endpoint", sts,
                "--port", Integer.toString(port)), port);

        assertThat(show.status()).as(show.err()).isZero();
        String line = show.out().lines().dropWhile(l -> !l.equals("[profile " + PROFILE + "]"))
                .filter(l -> l.startsWith("credential_process = ")).findFirst().orElseThrow().substring("credential_process = ".length());
        assertThat(line).startsWith("java -jar " + jar() + " credential-process --url " + app.url + " -p " + PROFILE)
                .contains(" --sts-endpoint " + sts, " --port " + port, " --no-browser");

        // The line as a shell runs it: it signs in on the same port (no config file to find it in) and calls the local
        // STS (without --sts-endpoint it would call AWS's), and caches the credentials under $HOME.
        Child direct = run(List.of("sh", "-c", line), port);

        assertThat(direct.status()).as(direct.err()).isZero();
        assertThat(direct.out()).startsWith("{\"Version\":1,\"AccessKeyId\":");

        // The line as the AWS CLI runs it (its own split of the line): served from that cache, as the AWS CLI's
        // repeated calls are; the AWS CLI reads the process's standard output only, so the browser step came first.
        Path config = Files.createDirectories(home.resolve(".aws")).resolve("config");
        Files.writeString(config, "[profile " + PROFILE + "]\nregion = us-east-1\ncredential_process = " + line + "\n");
        Child aws = run(List.of(AwsCliCredentialProcessIT.awsCli().toString(), "sts", "get-caller-identity", "--profile", PROFILE,
                "--endpoint-url", sts, "--output", "json"), -1);

        assertThat(aws.status()).as(aws.out() + aws.err()).isZero();
        assertThat(aws.out()).contains("\"Arn\": \"arn:aws:sts::123456789012:assumed-role/pet-shop-reports/"
                + RoleSessionNames.of("amazon|amzn1.account.DEMO") + "\"");
        assertThat(show.err() + direct.err() + aws.err()).doesNotContain("SLF4J");
    }

    @Test
    @DisplayName("$HOME, not Java's user.home, holds the configuration and the cache; standard error has no SLF4J warning")
    void home_isTheHomeVariable_andStandardErrorHasNoSlf4jLines() throws Exception {
        Path dir = Files.createDirectories(home.resolve(".aws-delegation"));
        Files.writeString(dir.resolve("config"), "url = " + app.url + "\nsts-endpoint = " + app.aws.sts().endpoint() + "\n");
        assertThat(Paths.get(System.getProperty("user.home"))).isNotEqualTo(home);

        Child result = run(List.of("credential-process", "-p", PROFILE, "--no-browser"), 0);

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("{\"Version\":1,\"AccessKeyId\":");
        try (var cached = Files.list(dir.resolve("cache"))) {
            assertThat(cached).singleElement().satisfies(f -> assertThat(f.getFileName().toString()).endsWith(".properties"));
        }
        assertThat(result.err()).contains("Open this URL in a browser").doesNotContain("SLF4J");
    }

    record Child(int status, String out, String err) {
    }

    /**
     * Runs a command (the jar's, when it starts with a subcommand) with {@code HOME} set to the test's home and no
     * {@code AWS_*} variables of this machine. When {@code callbackPort} is not -1, waits for the sign-in URL on standard
     * error, checks its callback's port (any, when 0), and confirms in the test's browser.
     */
    Child run(List<String> command, int callbackPort) throws Exception {
        List<String> all = new ArrayList<>();
        if (!command.get(0).contains("/") && !command.get(0).equals("sh")) {
            all.addAll(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        }
        all.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(all);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("HOME", home.toString());
        env.put("AWS_CONFIG_FILE", home.resolve(".aws/config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve(".aws/none").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        Process process = builder.start();
        process.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Thread> pumps = List.of(drain(process.getInputStream(), out), drain(process.getErrorStream(), err));
        if (callbackPort != -1) {
            Instant deadline = Instant.now().plusSeconds(60);
            Matcher url = CliRunner.URL.matcher("");
            while (process.isAlive() && Instant.now().isBefore(deadline) && !(url = CliRunner.URL.matcher(text(err))).find()) {
                Thread.sleep(20);
            }
            if (url.find(0)) {
                int port = CliRunner.confirm(new Browser(), URI.create(url.group(1)));
                if (callbackPort != 0) {
                    assertThat(port).as("the callback's port").isEqualTo(callbackPort);
                }
            }
        }
        boolean ended = process.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("%s ended; it printed %s", all, text(err)).isTrue();
        for (Thread pump : pumps) {
            pump.join(5_000);
        }
        return new Child(process.exitValue(), text(out), text(err));
    }

    static Path jar() {
        Path jar = Paths.get(System.getProperty("cli.jar", "target/aws-delegation-cli-all.jar")).toAbsolutePath();
        assertThat(jar).as("the runnable jar (mvn package)").exists();
        return jar;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        }
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream buffer) {
        Thread pump = new Thread(() -> {
            byte[] chunk = new byte[8192];
            try {
                for (int n; (n = in.read(chunk)) > 0; ) {
                    synchronized (buffer) {
                        buffer.write(chunk, 0, n);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "child-output");
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

    private static String text(ByteArrayOutputStream buffer) {
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }
}

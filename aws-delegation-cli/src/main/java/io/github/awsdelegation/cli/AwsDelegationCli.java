package io.github.awsdelegation.cli;

import java.awt.Desktop;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code aws-delegation} command: AWS credentials in a terminal through an app that runs the filter, with the
 * same roles and rules as in the browser. The app signs the user in (in the browser), posts a signed SAML response to
 * this client's loopback callback, and the client calls STS {@code AssumeRoleWithSAML} itself.
 */
@Command(name = "aws-delegation", mixinStandardHelpOptions = true, version = "aws-delegation-cli 0.1.0",
        description = "AWS credentials in a terminal, through an app that runs aws-delegation.",
        subcommands = CommandLine.HelpCommand.class)
public final class AwsDelegationCli {

    /**
     * By default, the callback listens on a free port the system chooses, at {@code http://127.0.0.1:<port>/saml}: a
     * loopback IP literal, never {@code localhost} (RFC 8252 §7.3, §8.3), so no other user of the computer can be
     * listening on the address the browser posts to. {@code --port} (config key {@code port}) fixes the port instead.
     */
    static final int DEFAULT_PORT = 0;
    static final String DEFAULT_CALLBACK_PATH = "/saml";
    static final String DEFAULT_CLI_PATH = "/saml/cli";
    /** By default, the client waits 2 minutes for the browser. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private final Path home;
    private final Consumer<URI> browser;
    private final Clock clock;
    private final PrintStream out;
    private final PrintStream err;

    AwsDelegationCli(Path home, Consumer<URI> browser, Clock clock, PrintStream out, PrintStream err) {
        this.home = home;
        this.browser = browser;
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    /** Runs the command with the user's home, the desktop's browser and the system clock; exits with its status. */
    public static void main(String[] args) {
        AwsDelegationCli cli = new AwsDelegationCli(home(System.getenv("HOME"), System.getProperty("user.home")),
                AwsDelegationCli::openDesktop, Clock.systemUTC(), System.out, System.err);
        System.exit(cli.run(args));
    }

    /**
     * Returns the user's home as the AWS CLI finds it: {@code $HOME} when set and not empty, else Java's
     * {@code user.home} (which the JVM reads from the password database and which ignores {@code HOME}).
     */
    static Path home(String homeVariable, String userHome) {
        return Paths.get(homeVariable != null && !homeVariable.isEmpty() ? homeVariable : userHome);
    }

    /** Runs the command with these arguments and returns its exit status. */
    int run(String... args) {
        CommandLine line = new CommandLine(this);
        line.addSubcommand("login", new Login());
        line.addSubcommand("credential-process", new CredentialProcess());
        line.addSubcommand("console", new Console());
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException) {
                err.println("aws-delegation: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return line.execute(args);
    }

    private static void openDesktop(URI uri) {
        if (!Desktop.isDesktopSupported() || !Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
            throw new CliException("no browser can be opened here; use --no-browser and open the printed URL yourself");
        }
        try {
            Desktop.getDesktop().browse(uri);
        } catch (Exception e) {
            throw new CliException("the browser cannot be opened (" + e.getMessage() + "); use --no-browser", e);
        }
    }


    @Command(name = "login", description = "Signs in through the app; lists the roles (--show) or writes a profile to ~/.aws/credentials.")
    final class Login implements java.util.concurrent.Callable<Integer> {

        @CommandLine.Mixin
        CommonOptions common = new CommonOptions();

        @Option(names = "--show", description = "List the permitted roles as profile sections to paste into ~/.aws/config.")
        boolean show;

        @Option(names = "--credentials-file", description = "Default: $AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials.")
        Path credentialsFile;

        @Override
        public Integer call() {
            CliRun run = new CliRun(common, home, browser, err);
            if (show) {
                List<SamlRole> roles = SamlResponseRoles.of(run.signIn());
                out.println("# The roles " + run.url() + " permits you; paste into ~/.aws/config:");
                for (SamlRole role : roles) {
                    String name = role.profileName(run.accountAliases);
                    out.println();
                    out.println("[profile " + name + "]");
                    out.println("# role " + role.roleArn() + " in account " + role.accountId());
                    out.println("credential_process = " + selfCommand() + " credential-process " + run.credentialProcessOptions(name, role));
                }
                out.flush();
                return 0;
            }
            CliRun.Assumed assumed = run.assume();
            String name = assumed.role().profileName(run.accountAliases);
            Path file = credentialsFile != null ? credentialsFile
                    : System.getenv("AWS_SHARED_CREDENTIALS_FILE") != null ? Paths.get(System.getenv("AWS_SHARED_CREDENTIALS_FILE"))
                    : home.resolve(".aws").resolve("credentials");
            String content;
            try {
                content = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            } catch (java.io.IOException e) {
                throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
            }
            Map<String, String> values = new LinkedHashMap<>();
            values.put("aws_access_key_id", assumed.credentials().accessKeyId());
            values.put("aws_secret_access_key", assumed.credentials().secretAccessKey());
            values.put("aws_session_token", assumed.credentials().sessionToken());
            values.put("region", run.region() != null ? run.region() : Partitions.of(assumed.role().partition()).defaultRegion());
            SecureFiles.writeAtomically(file, IniFile.parse(content).withSection(name, values).content());
            err.println("Wrote profile " + name + " (" + assumed.role().roleArn() + ") to " + file + "; it expires at "
                    + assumed.credentials().expiration() + ". Use: aws --profile " + name + " ...");
            return 0;
        }
    }

    @Command(name = "credential-process", description = "Prints the AWS CLI credential_process JSON for a profile, cached until shortly before expiry.")
    final class CredentialProcess implements java.util.concurrent.Callable<Integer> {

        @CommandLine.Mixin
        CommonOptions common = new CommonOptions();

        @Option(names = "--cache-dir", description = "Default: ~/.aws-delegation/cache.")
        Path cacheDir;

        @Override
        public Integer call() {
            CliRun run = new CliRun(common, home, browser, err);
            String profile = run.profile();
            if (profile == null) {
                throw new CliException("credential-process needs a profile: -p Role@alias");
            }
            CredentialCache cache = new CredentialCache(cacheDir != null ? cacheDir : home.resolve(".aws-delegation").resolve("cache"), clock);
            String app = run.url().toString();
            Credentials credentials = cache.get(app, profile).orElseGet(() -> {
                Credentials fresh = run.assume().credentials();
                cache.put(app, profile, fresh);
                return fresh;
            });
            out.println(credentials.credentialProcessJson());
            out.flush();
            return 0;
        }
    }

    @Command(name = "console", description = "Opens the AWS console as a profile's role (the partition's federation sign-in).")
    final class Console implements java.util.concurrent.Callable<Integer> {

        @CommandLine.Mixin
        CommonOptions common = new CommonOptions();

        @Option(names = "--destination", description = "The console page to open. Default: the console's home.")
        URI destination;

        @Option(names = "--federation-endpoint", hidden = true, description = "The federation endpoint (tests).")
        URI federation;

        @Override
        public Integer call() {
            CliRun run = new CliRun(common, home, browser, err);
            CliRun.Assumed assumed = run.assume();
            Partitions partition = Partitions.of(assumed.role().partition());
            URI signIn = ConsoleFederation.signInUrl(assumed.credentials(), federation != null ? federation : partition.federation(),
                    destination != null ? destination : partition.console(), run.url().toString());
            if (common.noBrowser) {
                err.println("Open this URL in a browser for the AWS console (valid for 15 minutes; it signs in as "
                        + assumed.role().roleArn() + "):");
                out.println(signIn);
                out.flush();
            } else {
                browser.accept(signIn);
            }
            return 0;
        }
    }

    // How the AWS CLI should run this client: java -jar with this jar when run from one, else the installed command.
    private static String selfCommand() {
        try {
            Path jar = Paths.get(AwsDelegationCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (jar.toString().endsWith(".jar")) {
                return "java -jar " + quote(jar.toString());
            }
        } catch (Exception e) {
            // fall through: the installed command
        }
        return "aws-delegation";
    }

    // As the AWS CLI splits credential_process (shlex, POSIX): plain words as they are, anything else single-quoted.
    static String quote(String value) {
        return value.matches("[A-Za-z0-9@%+=:,./_-]+") ? value : "'" + value.replace("'", "'\\''") + "'";
    }
}

package io.github.awsdelegation.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The resolved settings of one run. */
final class CliRun {

    final CommonOptions c;
    private final Path home;
    private final Consumer<URI> browser;
    private final PrintStream err;
    final Map<String, String> config;
    final Map<String, String> accountAliases;

    CliRun(CommonOptions c, Path home, Consumer<URI> browser, PrintStream err) {
        this.c = c;
        this.home = home;
        this.browser = browser;
        this.err = err;
        Path configFile = c.config != null ? c.config : home.resolve(".aws-delegation").resolve("config");
        this.config = KeyValueFile.read(configFile);
        Path aliasFile = c.aliases != null ? c.aliases : config.containsKey("aliases") ? Paths.get(config.get("aliases"))
                : home.resolve(".aws-delegation").resolve("aliases");
        this.accountAliases = KeyValueFile.accountAliases(aliasFile.toString(), KeyValueFile.read(aliasFile));
    }

    URI url() {
        URI url = c.url != null ? c.url : uri("url");
        if (url == null) {
            throw new CliException("no app URL: pass --url https://app.example.com or write 'url = ...' in ~/.aws-delegation/config");
        }
        String s = url.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    String profile() {
        return c.profile != null ? c.profile : config.get("profile");
    }

    String region() {
        return c.region != null ? c.region : config.get("region");
    }

    URI stsEndpoint() {
        return c.stsEndpoint != null ? c.stsEndpoint : uri("sts-endpoint");
    }

    Duration timeout() {
        int seconds = c.timeoutSeconds != null ? c.timeoutSeconds : number("timeout", (int) AwsDelegationCli.DEFAULT_TIMEOUT.toSeconds());
        if (seconds < 1) {
            throw new CliException("the timeout must be at least 1 second, not " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    private URI uri(String key) {
        String value = config.get(key);
        if (value == null) {
            return null;
        }
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new CliException("the configuration's " + key + " must be a URL, not '" + value + "'", e);
        }
    }

    private int number(String key, int fallback) {
        String value = config.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new CliException("the configuration's " + key + " must be a number, not '" + value + "'", e);
        }
    }

    /**
     * Returns the options {@code credential-process} needs to sign in as this run did, for the profile {@code name}
     * (of {@code role}): the app, the profile, and every setting given on this command line, so that the line works
     * with no configuration file; each value quoted for the AWS CLI, which splits the line as a POSIX shell does.
     */
    String credentialProcessOptions(String name, SamlRole role) {
        StringBuilder options = new StringBuilder("--url ").append(AwsDelegationCli.quote(url().toString())).append(" -p ").append(AwsDelegationCli.quote(name));
        option(options, "--role", c.role != null ? role.roleArn() : null);
        option(options, "--sts-endpoint", stsEndpoint());
        option(options, "--region", region());
        option(options, "--port", c.port);
        option(options, "--cli-path", c.cliPath);
        option(options, "--callback-path", c.callbackPath);
        option(options, "--timeout", c.timeoutSeconds);
        option(options, "--config", c.config);
        option(options, "--aliases", c.aliases);
        if (c.noBrowser) {
            options.append(" --no-browser");
        }
        return options.toString();
    }

    private void option(StringBuilder options, String name, Object value) {
        if (value != null) {
            options.append(' ').append(name).append(' ').append(AwsDelegationCli.quote(value.toString()));
        }
    }

    /** Signs in through the browser and returns the app's base64 SAML response. */
    String signIn() {
        int port = c.port != null ? c.port : number("port", AwsDelegationCli.DEFAULT_PORT);
        String cliPath = c.cliPath != null ? c.cliPath : config.getOrDefault("cli-path", AwsDelegationCli.DEFAULT_CLI_PATH);
        URI app = url();
        try (LoopbackCallback callback = LoopbackCallback.start(port, c.callbackPath != null ? c.callbackPath : AwsDelegationCli.DEFAULT_CALLBACK_PATH)) {
            URI start = URI.create(app + cliPath + "?callback=" + enc(callback.uri().toString()) + "&state=" + enc(callback.state())
                    + (c.role != null ? "&role=" + enc(c.role) : ""));
            if (c.noBrowser) {
                err.println("Open this URL in a browser to sign in, and confirm there that port " + callback.uri().getPort()
                        + " may receive the sign-in:");
                err.println("  " + start);
            } else {
                err.println("Signing in through " + app + " in your browser; confirm there that port "
                        + callback.uri().getPort() + " may receive the sign-in...");
                browser.accept(start);
            }
            err.flush();
            return callback.await(timeout());
        }
    }

    /** Returns the role the profile names among the response's, or, without a profile, the only one. */
    SamlRole choose(List<SamlRole> roles) {
        if (roles.isEmpty()) {
            throw new CliException("the app offers no role for the command line");
        }
        String profile = profile();
        if (profile == null) {
            if (roles.size() == 1) {
                return roles.get(0);
            }
            throw new CliException("choose a profile with -p; the app offers " + names(roles));
        }
        return roles.stream().filter(r -> profile.equals(r.profileName(accountAliases))
                || profile.equals(r.roleName() + "@" + r.accountId())).findFirst()
                .orElseThrow(() -> new CliException("the app does not offer " + profile + " to you; it offers " + names(roles)));
    }

    private String names(List<SamlRole> roles) {
        return String.join(", ", roles.stream().map(r -> r.profileName(accountAliases)).toList());
    }

    /** Signs in, chooses the profile's role and calls STS. */
    Assumed assume() {
        String saml = signIn();
        SamlRole role = choose(SamlResponseRoles.of(saml));
        return new Assumed(role, StsSignIn.assume(role, saml, region(), stsEndpoint()));
    }

    /** A role assumed: the role chosen and its credentials. */
    record Assumed(SamlRole role, Credentials credentials) {
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

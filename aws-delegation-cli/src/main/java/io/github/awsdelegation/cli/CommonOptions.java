package io.github.awsdelegation.cli;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command shares: where the app is, the callback, the files, STS. Flags win over the config file. */
final class CommonOptions {

    @Option(names = "--url", description = "The app's URL (its context root). Config key: url.")
    URI url;

    @Option(names = {"-p", "--profile"}, description = "The profile, Role@alias (or Role@account). Config key: profile.")
    String profile;

    @Option(names = "--config", description = "The configuration file. Default: ~/.aws-delegation/config.")
    Path config;

    @Option(names = "--aliases", description = "The account aliases file (alias = account). Default: ~/.aws-delegation/aliases.")
    Path aliases;

    @Option(names = "--port", description = "The loopback callback's port on 127.0.0.1. Config key: port. Default: a free port the system chooses.")
    Integer port;

    @Option(names = "--role", description = "Sign in for this role ARN alone (needed for a role with its own session tags or source identity).")
    String role;

    @Option(names = "--callback-path", description = "The loopback callback's path. Default: /saml.")
    String callbackPath;

    @Option(names = "--cli-path", description = "The app's CLI endpoint. Config key: cli-path. Default: /saml/cli.")
    String cliPath;

    @Option(names = "--no-browser", description = "Print the URL to open instead of opening a browser.")
    boolean noBrowser;

    @Option(names = "--timeout", description = "Seconds to wait for the browser. Config key: timeout. Default: 120.")
    Integer timeoutSeconds;

    @Option(names = "--sts-endpoint", description = "The STS endpoint, e.g. a local STS. Config key: sts-endpoint.")
    URI stsEndpoint;

    @Option(names = "--region", description = "The STS region. Config key: region. Default: the partition's first region.")
    String region;
}

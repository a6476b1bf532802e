package io.github.awsdelegation.testkit;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the {@link Demo} set-up (a {@link LocalIdentityProvider}, {@link LocalSts}, S3 and pets API) until Ctrl-C, for trying the
 * sample by hand:
 * <pre>
 * java -cp ... io.github.awsdelegation.testkit.LocalAwsMain [--idp-port=9400] [--sts-port=9401] [--s3-port=9402]
 *     [--api-port=9403] [--sts-config=account.json] [--trust-issuer=http://127.0.0.1:8180/realms/petshop=pet-shop ...]
 * </pre>
 * Every option also takes its value as the next argument ({@code --sts-port 9401}). Ports come from the arguments, else
 * (identity provider and STS) from the system properties {@value #IDP_PORT_PROPERTY} and {@value #STS_PORT_PROPERTY},
 * else are free ones (0). {@code --trust-issuer} puts a real identity provider in front of the local AWS with no code:
 * see {@link LocalAws.Builder#trustIssuer}. Another launcher (the sample app's) can call {@link #startDemo(int, int)} or
 * {@link #start(String...)} in-process instead.
 */
public final class LocalAwsMain {

    /** The system property for the identity provider's port: {@value}. */
    public static final String IDP_PORT_PROPERTY = "awsdelegation.testkit.idp.port";
    /** The system property for the STS's port: {@value}. */
    public static final String STS_PORT_PROPERTY = "awsdelegation.testkit.sts.port";

    static final String USAGE = "usage: LocalAwsMain [--idp-port=N] [--sts-port=N] [--s3-port=N] [--api-port=N] [--sts-config=FILE]"
            + " [--trust-issuer=ISSUER_URL=CLIENT_ID]...   (ports: 0 = a free one)";

    private LocalAwsMain() {
    }

    /**
     * Starts the demo set-up on the given ports (0 = a free one) and returns it; the caller closes it.
     *
     * @throws java.io.UncheckedIOException when a port is taken
     */
    public static LocalAws startDemo(int identityProviderPort, int stsPort) {
        return LocalAws.builder().identityProviderPort(identityProviderPort).stsPort(stsPort).start();
    }

    /** Starts the demo set-up on free ports and returns it; the caller closes it. */
    public static LocalAws startDemo() {
        return startDemo(0, 0);
    }

    /**
     * Starts the demo set-up as the command line {@code args} describe (see {@link #main}) and returns it; the caller
     * closes it.
     *
     * @throws IllegalArgumentException naming the option, when an argument is unknown or malformed
     * @throws java.io.UncheckedIOException when a port is taken
     */
    public static LocalAws start(String... args) {
        return builder(args).start();
    }

    /** Parses the command line into a builder of the demo set-up; see {@link #main}. */
    static LocalAws.Builder builder(String... args) {
        LocalAws.Builder builder = LocalAws.builder().identityProviderPort(Integer.getInteger(IDP_PORT_PROPERTY, 0))
                .stsPort(Integer.getInteger(STS_PORT_PROPERTY, 0));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String option = equals < 0 ? arg : arg.substring(0, equals);
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length && isOption(option)) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(isOption(option) ? option + " needs a value" : "unknown option " + option);
            }
            switch (option) {
                case "--idp-port" -> builder.identityProviderPort(parsePort(option, value));
                case "--sts-port" -> builder.stsPort(parsePort(option, value));
                case "--s3-port" -> builder.s3Port(parsePort(option, value));
                case "--api-port" -> builder.petsApiPort(parsePort(option, value));
                case "--sts-config" -> {
                    Path file = Path.of(value);
                    builder.sts(b -> b.configuration(file));
                }
                case "--trust-issuer" -> {
                    // The issuer URL may hold '=' in its query (it never should): the client id follows the last one.
                    int split = value.lastIndexOf('=');
                    if (split <= 0 || split == value.length() - 1) {
                        throw new IllegalArgumentException("--trust-issuer takes ISSUER_URL=CLIENT_ID, e.g. "
                                + "http://127.0.0.1:8180/realms/petshop=pet-shop; got '" + value + "'");
                    }
                    URI issuer;
                    try {
                        issuer = new URI(value.substring(0, split));
                    } catch (URISyntaxException e) {
                        throw new IllegalArgumentException("--trust-issuer: '" + value.substring(0, split) + "' is not a URL");
                    }
                    builder.trustIssuer(issuer, value.substring(split + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return builder;
    }

    private static boolean isOption(String option) {
        return List.of("--idp-port", "--sts-port", "--s3-port", "--api-port", "--sts-config", "--trust-issuer").contains(option);
    }

    /**
     * Starts the demo set-up, prints where it runs and the demo users, and waits until the JVM is stopped.
     *
     * @param args {@code --idp-port=N}, {@code --sts-port=N}, {@code --s3-port=N}, {@code --api-port=N} (0 = a free port),
     *             {@code --sts-config=FILE} (roles, managed policies and access keys added to the demo's; see
     *             {@link LocalStsBuilder#configuration}) and {@code --trust-issuer=ISSUER_URL=CLIENT_ID} (repeatable: an
     *             outside OIDC provider the demo roles trust too; see {@link LocalAws.Builder#trustIssuer}), all optional
     */
    public static void main(String[] args) throws InterruptedException {
        LocalAws aws;
        try {
            aws = start(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            aws.close();
            stopped.countDown();
        }, "local-aws-shutdown"));
        printBanner(aws, System.out);
        stopped.await();
    }

    /** Prints the issuer, the STS endpoint, the client, the demo users (with their demo passwords) and the roles. */
    static void printBanner(LocalAws aws, PrintStream out) {
        out.println("aws-delegation testkit: local identity provider and STS (Ctrl-C to stop)");
        out.println("  OIDC issuer:   " + aws.identityProvider().issuer());
        out.println("  discovery:     " + aws.identityProvider().discoveryUri());
        out.println("  STS endpoint:  " + aws.sts().endpoint() + "   (region us-east-1, account " + aws.sts().accountId() + ")");
        out.println("  S3 endpoint:   " + aws.s3().endpoint() + "   (path style; bucket " + Demo.PETS_BUCKET + ")");
        out.println("  pets API:      " + aws.petsApi().endpoint() + "/pets   (execute-api, SigV4)");
        out.println("  client id:     " + Demo.CLIENT_ID + " (public, PKCE S256, any http://127.0.0.1:*/ or localhost redirect)");
        out.println("  users:");
        out.println("    database:    " + Demo.ADMIN_USERNAME + " / " + Demo.ADMIN_PASSWORD + "   groups " + Demo.ADMIN_GROUPS
                + "   sub " + LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME));
        out.println("    social:      \"Continue with Amazon\" as " + Demo.BUYER_EMAIL + "   sub "
                + LocalIdentityProvider.socialUserSubject(Demo.BUYER_AMAZON_ID));
        aws.trustedIssuers().forEach((issuer, clientId) -> out.println("  also trusted:  " + issuer + "   (client id "
                + clientId + ", IAM OIDC provider " + aws.sts().oidcProviderArn(issuer) + ")"));
        out.println("  roles:         " + Demo.BUYER_ROLE_ARN);
        out.println("                 " + Demo.ADMIN_ROLE_ARN);
        out.flush();
    }

    private static int parsePort(String option, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new IllegalArgumentException(option + " must be a port 0-65535, got '" + value + "'");
    }
}

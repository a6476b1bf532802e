package io.github.awsdelegation.testkit;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the {@link Demo} set-up (a {@link LocalIdentityProvider}, {@link LocalSts}, S3 and pets API) until Ctrl-C, for trying the
 * sample by hand:
 * <pre>
 * java -cp ... io.github.awsdelegation.testkit.LocalAwsMain [--idp-port=9400] [--sts-port=9401] [--sts-config=account.json]
 * </pre>
 * Ports come from the arguments, else from the system properties {@value #IDP_PORT_PROPERTY} and
 * {@value #STS_PORT_PROPERTY}, else are free ones. Another launcher (the sample app's) can call
 * {@link #startDemo(int, int)} in-process instead.
 */
public final class LocalAwsMain {

    /** The system property for the identity provider's port: {@value}. */
    public static final String IDP_PORT_PROPERTY = "awsdelegation.testkit.idp.port";
    /** The system property for the STS's port: {@value}. */
    public static final String STS_PORT_PROPERTY = "awsdelegation.testkit.sts.port";

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
     * Starts the demo set-up, prints where it runs and the demo users, and waits until the JVM is stopped.
     *
     * @param args {@code --idp-port=N}, {@code --sts-port=N} and {@code --sts-config=FILE} (roles, managed policies and
     *             access keys added to the demo's; see {@link LocalSts.Builder#configuration}), all optional
     */
    public static void main(String[] args) throws InterruptedException {
        int idpPort = Integer.getInteger(IDP_PORT_PROPERTY, 0);
        int stsPort = Integer.getInteger(STS_PORT_PROPERTY, 0);
        java.nio.file.Path stsConfig = null;
        for (String arg : args) {
            if (arg.startsWith("--idp-port=")) {
                idpPort = parsePort(arg);
            } else if (arg.startsWith("--sts-port=")) {
                stsPort = parsePort(arg);
            } else if (arg.startsWith("--sts-config=")) {
                stsConfig = java.nio.file.Path.of(arg.substring("--sts-config=".length()));
            } else {
                System.err.println("usage: LocalAwsMain [--idp-port=N] [--sts-port=N] [--sts-config=FILE]   (unknown argument: "
                        + arg + ")");
                System.exit(2);
            }
        }
        java.nio.file.Path config = stsConfig;
        LocalAws aws = config == null ? startDemo(idpPort, stsPort) : LocalAws.builder().identityProviderPort(idpPort)
                .stsPort(stsPort).sts(b -> b.configuration(config)).start();
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
        out.println("  roles:         " + Demo.BUYER_ROLE_ARN);
        out.println("                 " + Demo.ADMIN_ROLE_ARN);
        out.flush();
    }

    private static int parsePort(String arg) {
        String value = arg.substring(arg.indexOf('=') + 1);
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new IllegalArgumentException(arg.substring(0, arg.indexOf('=')) + " must be a port 0-65535, got '" + value + "'");
    }
}

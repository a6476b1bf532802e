package io.github.awsdelegation.sample;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.http.Rfc6265CookieProcessor;

/**
 * Runs the sample on the embedded default: the testkit's local OIDC provider, STS, S3 and pets API, and the
 * sample WAR on embedded Tomcat with Weld, all on 127.0.0.1. README's run command starts it; Ctrl-C stops
 * everything.
 *
 * <p>The WAR reads its configuration from variables ({@code AWS_DELEGATION_ISSUER}, ...; {@link SampleEnvironment});
 * this launcher sets them as system properties to the local servers. Pointing the same WAR at a real provider and
 * real AWS is a matter of setting them differently (docs/sample.md).
 */
public final class SampleLauncher {

    private SampleLauncher() {
    }

    /**
     * The request header limit of the sample's Tomcat, {@value} bytes: a 20,000-character ID token (the filter's
     * limit) plus cookies and the other headers. docs/sample.md sets the same on the Tomcat and WildFly installations.
     */
    static final int MAX_REQUEST_HEADER_BYTES = 32 * 1024;

    /** The system property that chooses the environment: {@value}, {@code local} (the default) or {@code real}. */
    public static final String ENVIRONMENT_PROPERTY = "sample.environment";

    /** The system property that fixes the port: {@value}; unset or empty, the default port or the next free one. */
    static final String PORT_PROPERTY = "sample.port";
    /** The system property that changes the default port, {@value}: for the tests, which cannot count on 8080. */
    static final String DEFAULT_PORT_PROPERTY = "sample.defaultPort";
    /** By default, the sample listens on port {@value} of 127.0.0.1, or the next free one when it is taken. */
    static final int DEFAULT_PORT = 8080;
    /** How many ports after the default one are tried before the system chooses one: {@value}. */
    static final int NEXT_PORTS_TRIED = 20;

    /** The variables the WAR cannot do without on a real deployment (docs/sample.md lists them all). */
    static final List<String> REQUIRED_VARIABLES = List.of("AWS_DELEGATION_ISSUER", "PET_SHOP_API_URL",
            "PET_SHOP_SAML_KEYSTORE", "PET_SHOP_SAML_KEYSTORE_PASSWORD");

    /**
     * Starts everything and blocks until the JVM stops.
     *
     * @param args the exploded WAR directory
     */
    public static void main(String[] args) throws Exception {
        File war = new File(args.length > 0 ? args[0] : "sample-war/target/sample-war");
        if (!new File(war, "WEB-INF/web.xml").isFile()) {
            throw new IllegalArgumentException(war + " is not an exploded WAR; build it with mvn package first");
        }
        int port = chooseStartPort(System.getProperty(PORT_PROPERTY, ""), Integer.getInteger(DEFAULT_PORT_PROPERTY, DEFAULT_PORT));
        String mode = System.getProperty(ENVIRONMENT_PROPERTY, "local");
        Running running;
        if (mode.equals("real")) {
            List<String> missing = REQUIRED_VARIABLES.stream().filter(name -> System.getenv(name) == null && System.getProperty(name) == null).toList();
            if (!missing.isEmpty()) {
                System.err.println("The real-AWS profile needs these variables, which are not set: " + String.join(", ", missing)
                        + ". Set them in the environment (docs/sample.md#a-real-oidc-provider-and-real-aws).");
                System.exit(2);
            }
            running = startOrExit(() -> startReal(war, port));
        } else if (mode.equals("local")) {
            running = startOrExit(() -> start(war, port));
        } else {
            System.err.println("-D" + ENVIRONMENT_PROPERTY + " is 'local' (the testkit, by default) or 'real' (your OIDC provider and AWS), not '" + mode + "'");
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "sample-shutdown"));
        System.out.println();
        System.out.println("Pet shop sample running at " + running.url() + "   (Ctrl-C to stop)");
        if (running.environment() != null) {
            System.out.println("  sign in as a database user (admin role): " + Demo.ADMIN_USERNAME + " / " + Demo.ADMIN_PASSWORD
                    + "   subject " + LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME));
            System.out.println("  or as a social user (buyer role):        \"Continue with Amazon\" (" + Demo.BUYER_EMAIL + ")"
                    + "   subject " + LocalIdentityProvider.socialUserSubject(Demo.BUYER_AMAZON_ID));
            System.out.println("  on the testkit's local IdP, STS, S3 and pets API:");
            running.environment().variables().forEach((name, value) -> {
                if (!name.contains("PASSWORD")) {
                    System.out.println("    " + name + "=" + value);
                }
            });
            System.out.println();
            System.out.println("The same roles in a terminal (docs/sample.md#use-the-same-roles-in-a-terminal): build the CLI once with");
            System.out.println("  mvn -q -ntp -pl aws-delegation-cli -am package -DskipTests");
            System.out.println("then sign in through the shop (it prints the ~/.aws/config profile to paste):");
            System.out.println("  " + cliCommand(war, running));
            System.out.println();
            System.out.println("Open " + running.url() + " - sign in as " + Demo.ADMIN_USERNAME + " / " + Demo.ADMIN_PASSWORD
                    + ", or Continue with Amazon");
        } else {
            System.out.println("  signing in with " + variable("AWS_DELEGATION_ISSUER") + ", calling AWS: register "
                    + running.url() + "callback as the client's redirect URI");
            System.out.println();
            System.out.println("Open " + running.url());
        }
        System.out.println();
        stopped.await();
    }

    /**
     * Returns the port to start on. An explicit {@code -Dsample.port} that is taken ends the launcher with one line and
     * status 1, before anything starts; the default port, when taken, gives way to the next free one, said plainly.
     */
    static int chooseStartPort(String requested, int defaultPort) {
        if (!requested.isBlank()) {
            int port;
            try {
                port = Integer.parseInt(requested.trim());
            } catch (NumberFormatException e) {
                return exit("-D" + PORT_PROPERTY + " is a port number, not '" + requested + "'");
            }
            if (port != 0 && !isFree(port)) {
                return exit("Port " + port + " on 127.0.0.1 is taken: stop what listens there, or run without -D" + PORT_PROPERTY
                        + " to use a free port");
            }
            return port;
        }
        if (isFree(defaultPort)) {
            return defaultPort;
        }
        for (int port = defaultPort + 1; port <= defaultPort + NEXT_PORTS_TRIED && port <= 65535; port++) {
            if (isFree(port)) {
                System.out.println("Port " + defaultPort + " is taken; using " + port + " instead");
                return port;
            }
        }
        System.out.println("Ports " + defaultPort + "-" + (defaultPort + NEXT_PORTS_TRIED) + " are taken; using a free port the system chooses");
        return 0;
    }

    // A bind on the address Tomcat binds to: what listens on 127.0.0.1 or on every address takes it.
    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int exit(String message) {
        System.err.println(message);
        System.exit(1);
        return -1;
    }

    /** Starts the sample, or ends the launcher with the reason in one line (the log above has the details). */
    private static Running startOrExit(Callable<Running> start) {
        try {
            return start.call();
        } catch (Exception e) {
            exit("The sample did not start: " + (e.getMessage() != null ? e.getMessage() : e));
            return null;
        }
    }

    // The CLI command for this sample, with its URL and the local STS filled in, and the jar the CLI build makes.
    private static String cliCommand(File war, Running running) {
        File root = war.getAbsoluteFile().getParentFile().getParentFile().getParentFile();
        File jar = new File(root, "aws-delegation-cli/target/aws-delegation-cli-all.jar");
        return "java -jar " + jar.getPath() + " login --show --url " + running.url()
                + " --sts-endpoint " + running.environment().aws().sts().endpoint();
    }

    /** Starts the local AWS and the WAR on Tomcat; port 0 picks a free port. Used by the tests too. */
    public static Running start(File war, int port) throws Exception {
        return start(war, port, context -> { });
    }

    /** Starts the sample as {@link #start(File, int)} does, letting a test add to the web app before it starts. */
    static Running start(File war, int port, Consumer<Context> customizer) throws Exception {
        return start(war, port, List.of(), Map.of(), customizer);
    }

    /**
     * Starts the sample with another OIDC provider in front of the local AWS, as docs/sample.md's "Run the sample
     * against Keycloak" does by hand: the local AWS started with {@link LocalAwsMain}'s {@code localAwsOptions}
     * ({@code --trust-issuer=...}), and the WAR's variables overridden by {@code providerVariables}
     * ({@code AWS_DELEGATION_ISSUER}, {@code AWS_DELEGATION_CLIENT_SECRET}, ...). The caller clears the overriding
     * system properties after closing it.
     */
    public static Running start(File war, int port, List<String> localAwsOptions, Map<String, String> providerVariables)
            throws Exception {
        return start(war, port, localAwsOptions, providerVariables, context -> { });
    }

    private static Running start(File war, int port, List<String> localAwsOptions, Map<String, String> providerVariables,
            Consumer<Context> customizer) throws Exception {
        Path work = Files.createTempDirectory("sample-tomcat");
        System.out.println("Starting the local IdP, STS, S3 and pets API...");
        SampleEnvironment environment = SampleEnvironment.start(work, localAwsOptions);
        Map<String, String> variables = new java.util.LinkedHashMap<>(environment.variables());
        variables.putAll(providerVariables);
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            System.setProperty(variable.getKey(), variable.getValue());
        }
        Running running;
        try {
            running = startTomcat(war, port, work, environment, customizer);
        } catch (Exception | Error e) {
            environment.close();
            throw e;
        }
        try {
            environment.trustApp(running.url());
            return running;
        } catch (RuntimeException | Error e) {
            running.close();  // Tomcat and the local AWS
            throw e;
        }
    }

    /** Starts the WAR on Tomcat with the variables of the environment: a real OIDC provider and real AWS. */
    static Running startReal(File war, int port) throws Exception {
        return startTomcat(war, port, Files.createTempDirectory("sample-tomcat"), null, context -> { });
    }

    private static Running startTomcat(File war, int port, Path work, SampleEnvironment environment, Consumer<Context> customizer)
            throws Exception {
        System.out.println("Starting Tomcat with the sample WAR on port " + (port == 0 ? "(any free one)" : port) + "...");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(work.toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        // Room for the largest ID token the filter accepts (20,000 characters, STS's limit) with the other headers;
        // Tomcat's default of 8 KB refused real tokens of 8-20 KB before the filter saw them.
        connector.setProperty("maxHttpRequestHeaderSize", Integer.toString(MAX_REQUEST_HEADER_BYTES));
        tomcat.setConnector(connector);
        // Tomcat's own error pages (a header over the limit, a malformed request) without a stack trace or the version.
        ErrorReportValve errorReport = new ErrorReportValve();
        errorReport.setShowReport(false);
        errorReport.setShowServerInfo(false);
        tomcat.getHost().getPipeline().addValve(errorReport);
        // No JSP here: only the default servlet for the static pages, instead of Tomcat's default web.xml.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp("", war.getAbsolutePath());
        Tomcat.addServlet(context, "default", new DefaultServlet());
        context.addServletMappingDecoded("/", "default");
        context.addWelcomeFile("index.html");
        Tomcat.addDefaultMimeTypeMappings(context);
        // Parent first: the launcher's class path already holds most of the WAR's libraries, and one copy of each
        // (SLF4J above all) keeps logging and class identity simple. It holds Weld, as a Tomcat's lib/ would, but not
        // the CDI module or the sample's classes: those come from the WAR alone, so that Weld finds each bean once.
        // SameSite=Lax on the session cookie, as the WAR's META-INF/context.xml says for a Tomcat installation.
        Rfc6265CookieProcessor cookies = new Rfc6265CookieProcessor();
        cookies.setSameSiteCookies("lax");
        context.setCookieProcessor(cookies);
        context.setParentClassLoader(SampleLauncher.class.getClassLoader());
        ((StandardContext) context).setDelegate(true);
        customizer.accept(context);
        tomcat.start();
        String failure = connector.getLocalPort() < 0 ? "port " + port + " on 127.0.0.1 is taken; run with -Dsample.port=N"
                : !context.getState().isAvailable() ? "the sample WAR did not start; see the log above" : null;
        if (failure != null) {
            tomcat.stop();
            tomcat.destroy();
            throw new IllegalStateException(failure);
        }
        return new Running(tomcat, environment, connector.getLocalPort());
    }

    private static String variable(String name) {
        return System.getProperty(name, System.getenv(name));
    }

    /** The running sample; {@code environment} is null on a real OIDC provider and real AWS. */
    public record Running(Tomcat tomcat, SampleEnvironment environment, int port) implements AutoCloseable {

        /** The sample's base URL, {@code http://127.0.0.1:<port>/}. */
        public URI url() {
            return URI.create("http://127.0.0.1:" + port + "/");
        }

        /** Stops Tomcat, then the local AWS. */
        @Override
        public void close() {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (Exception e) {
                System.err.println("Tomcat did not stop cleanly: " + e);
            } finally {
                if (environment != null) {
                    environment.close();
                }
            }
        }
    }
}

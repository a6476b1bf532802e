package io.github.awsdelegation.sample;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;

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
     * Starts everything and blocks until the JVM stops.
     *
     * @param args the exploded WAR directory
     */
    public static void main(String[] args) throws Exception {
        File war = new File(args.length > 0 ? args[0] : "sample-war/target/sample-war");
        if (!new File(war, "WEB-INF/web.xml").isFile()) {
            throw new IllegalArgumentException(war + " is not an exploded WAR; build it with mvn package first");
        }
        int port = Integer.getInteger("sample.port", 8080);
        Running running = start(war, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "sample-shutdown"));
        System.out.println();
        System.out.println("Pet shop sample running at " + running.url() + "   (Ctrl-C to stop)");
        System.out.println("  sign in as a database user (admin role): " + Demo.ADMIN_USERNAME + " / " + Demo.ADMIN_PASSWORD
                + "   subject " + LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME));
        System.out.println("  or as a social user (buyer role):        \"Continue with Amazon\" (" + Demo.BUYER_EMAIL + ")"
                + "   subject " + LocalIdentityProvider.socialUserSubject(Demo.BUYER_AMAZON_ID));
        running.environment().variables().forEach((name, value) -> {
            if (!name.contains("PASSWORD")) {
                System.out.println("  " + name + "=" + value);
            }
        });
        System.out.println();
        stopped.await();
    }

    /** Starts the local AWS and the WAR on Tomcat; port 0 picks a free port. Used by the tests too. */
    public static Running start(File war, int port) throws Exception {
        Path work = Files.createTempDirectory("sample-tomcat");
        SampleEnvironment environment = SampleEnvironment.start(work);
        for (Map.Entry<String, String> variable : environment.variables().entrySet()) {
            System.setProperty(variable.getKey(), variable.getValue());
        }
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(work.toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
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
        context.setParentClassLoader(SampleLauncher.class.getClassLoader());
        ((StandardContext) context).setDelegate(true);
        tomcat.start();
        String failure = connector.getLocalPort() < 0 ? "port " + port + " on 127.0.0.1 is taken; run with -Dsample.port=N"
                : !context.getState().isAvailable() ? "the sample WAR did not start; see the log above" : null;
        if (failure != null) {
            tomcat.stop();
            tomcat.destroy();
            environment.close();
            throw new IllegalStateException(failure);
        }
        environment.trustApp(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/"));
        return new Running(tomcat, environment, connector.getLocalPort());
    }

    /** The running sample. */
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
                environment.close();
            }
        }
    }
}

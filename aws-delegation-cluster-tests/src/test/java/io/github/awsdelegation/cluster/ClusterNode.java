package io.github.awsdelegation.cluster;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.http.Rfc6265CookieProcessor;

/**
 * One node of the cluster, the main class of a node's JVM: the sample WAR on embedded Tomcat (with Weld) on
 * 127.0.0.1, as the sample's launcher runs it, but without a local AWS of its own: the WAR's variables come as
 * {@code -D} options from the test JVM and point at its one local IdP and STS, and at the cluster's store.
 *
 * <p>The node exits when its standard input closes: the test JVM holds the other end, so a node never outlives the
 * test JVM, however that one ends (even killed).
 *
 * <p>The WAR's filter reads the configuration document given as the third argument instead of its own
 * {@code /WEB-INF/aws-delegation.yaml}: the suite's copy of it with a {@code cache:} section for the cluster's store,
 * as an operator adds one (docs/cluster.md).
 *
 * <pre>java -cp ... ClusterNode &lt;exploded WAR&gt; &lt;port&gt; &lt;configuration document&gt;</pre>
 */
public final class ClusterNode {

    /** What the node prints once Tomcat serves the WAR. */
    static final String READY = "cluster node ready on port ";

    private ClusterNode() {
    }

    public static void main(String[] args) throws Exception {
        File war = new File(args[0]);
        int port = Integer.parseInt(args[1]);
        String document = args[2];
        Thread watchdog = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // Nothing is sent: only the end of the stream matters.
                }
            } catch (IOException ignored) {
                // Closed as well.
            }
            System.out.println("standard input closed (the test JVM is gone): stopping");
            Runtime.getRuntime().halt(3);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("cluster-node").toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxHttpRequestHeaderSize", Integer.toString(32 * 1024));
        tomcat.setConnector(connector);
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp("", war.getAbsolutePath());
        Tomcat.addServlet(context, "default", new DefaultServlet());
        context.addServletMappingDecoded("/", "default");
        context.addWelcomeFile("index.html");
        Tomcat.addDefaultMimeTypeMappings(context);
        // After ContextConfig has read web.xml (it runs first): the filter's document is the cluster's.
        context.addLifecycleListener(event -> {
            if (Lifecycle.CONFIGURE_START_EVENT.equals(event.getType())) {
                FilterDef filter = context.findFilterDef("aws-delegation");
                // Not addInitParameter: the first definition of a parameter wins there, and web.xml's came first.
                filter.getParameterMap().put("config", "file:" + document);
            }
        });
        Rfc6265CookieProcessor cookies = new Rfc6265CookieProcessor();
        cookies.setSameSiteCookies("lax");
        context.setCookieProcessor(cookies);
        // Parent first, as the sample's launcher: Weld and the testkit from the class path, the filter from the WAR.
        context.setParentClassLoader(ClusterNode.class.getClassLoader());
        ((StandardContext) context).setDelegate(true);
        tomcat.start();
        if (connector.getLocalPort() < 0 || !context.getState().isAvailable()) {
            System.out.println("the sample WAR did not start on port " + port);
            Runtime.getRuntime().halt(2);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (Exception e) {
                System.out.println("Tomcat did not stop cleanly: " + e);
            }
        }, "node-shutdown"));
        System.out.println("the filter's configuration: " + context.findFilterDef("aws-delegation").getParameterMap().get("config"));
        System.out.println(READY + connector.getLocalPort());
        tomcat.getServer().await();
    }
}

package io.github.awsdelegation.cdi.support;

import java.io.File;
import java.util.Arrays;
import java.util.Objects;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The test WAR, the same for Tomcat and WildFly, built as an app's WAR would be: the app's classes (servlets,
 * beans, rule beans, observers) with a {@code beans.xml}, the CDI module's packaged jar and its runtime
 * dependencies (the filter, the AWS SDK) in WEB-INF/lib, web.xml mapping the filter to /*, and the
 * configuration document. No CDI implementation: Weld servlet on the Tomcat class path, WildFly's own Weld.
 */
public final class TestWar {

    private static final String APP_PACKAGE = "io.github.awsdelegation.cdi.it.app";

    private TestWar() {
    }

    /** Builds the WAR for the running {@link CdiEnvironment}. */
    public static WebArchive create() {
        return create("pet-shop-cdi.war", CdiEnvironment.get().configuration());
    }

    /** Builds the WAR with another name and configuration document (e.g. one that must fail the deployment). */
    public static WebArchive create(String warName, String configuration) {
        CdiEnvironment environment = CdiEnvironment.get();
        File cdiJar = new File(property("it.cdi.jar"));
        File[] libraries = Objects.requireNonNull(new File(property("it.lib.directory")).listFiles((dir, name) -> name.endsWith(".jar")),
                "it.lib.directory");
        Arrays.sort(libraries);
        return ShrinkWrap.create(WebArchive.class, warName)
                .addPackages(true, APP_PACKAGE)
                .addAsLibraries(cdiJar)
                .addAsLibraries(libraries)
                .addAsWebInfResource(new StringAsset("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <beans xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0" bean-discovery-mode="annotated"/>
                        """), "beans.xml")
                .addAsWebInfResource(new StringAsset(configuration), "aws-delegation.yaml")
                .setWebXML(new StringAsset("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                          <context-param><param-name>it.api.url</param-name><param-value>%s</param-value></context-param>
                          <filter>
                            <filter-name>aws-delegation</filter-name>
                            <filter-class>io.github.awsdelegation.servlet.AwsDelegationFilter</filter-class>
                            <init-param><param-name>config</param-name><param-value>/WEB-INF/aws-delegation.yaml</param-value></init-param>
                          </filter>
                          <filter-mapping><filter-name>aws-delegation</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                        </web-app>
                        """.formatted(environment.api())));
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the integration tests with Maven (mvn verify)");
        }
        return value;
    }
}

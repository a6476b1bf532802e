package io.github.awsdelegation.it;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.LocalAwsMain;
import io.github.awsdelegation.testkit.LocalRole;
import java.io.File;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The real things the integration tests run against, started once per test JVM on 127.0.0.1: the testkit's
 * local OIDC provider and STS, and mock-oauth2-server as an independent OIDC provider that the local STS
 * also trusts. They stop with the JVM.
 */
public final class ItEnvironment {

    static final String MOCK_ISSUER_ID = "independent";
    static final String MOCK_BUYER_ROLE = "arn:aws:iam::123456789012:role/mock-buyer";
    static final String MOCK_ADMIN_ROLE = "arn:aws:iam::123456789012:role/mock-admin";

    private static ItEnvironment instance;

    final LocalAws aws;
    final MockOAuth2Server mock;
    final URI mockIssuer;

    private ItEnvironment() {
        aws = LocalAwsMain.startDemo();
        mock = new MockOAuth2Server();
        try {
            mock.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        mockIssuer = mock.issuerUrl(MOCK_ISSUER_ID).uri();
        // Its first answers are slow (class loading, JIT): warm it up so that a filter's 2-second discovery
        // timeout measures the filter, not the mock server's start.
        Http.get(mock.wellKnownUrl(MOCK_ISSUER_ID).uri(), java.util.Map.of());
        Http.get(mock.jwksUrl(MOCK_ISSUER_ID).uri(), java.util.Map.of());
        aws.sts().addOidcProvider(mockIssuer, Demo.CLIENT_ID);
        aws.sts().addRole(LocalRole.trustingOidc(MOCK_BUYER_ROLE, mockIssuer, Demo.CLIENT_ID));
        aws.sts().addRole(LocalRole.trustingOidc(MOCK_ADMIN_ROLE, mockIssuer, Demo.CLIENT_ID));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mock.shutdown();
            aws.close();
        }, "it-environment-shutdown"));
    }

    static synchronized ItEnvironment get() {
        if (instance == null) {
            instance = new ItEnvironment();
        }
        return instance;
    }

    /** A WAR as a user would build it (see {@link #war(String, String)}) with the configuration {@code config} writes. */
    public static WebArchive war(String name, ItConfig config) {
        return war(name, config.yaml());
    }

    /**
     * A WAR as a user would build it: the filter's packaged jar in WEB-INF/lib, web.xml mapping the filter to
     * /*, the configuration document, and a servlet that shows what the filter attached to the request.
     * The filter's own dependencies come from the embedded container's class path.
     */
    public static WebArchive war(String name, String configYaml) {
        JavaArchive filterJar = ShrinkWrap.create(ZipImporter.class, "aws-delegation-filter.jar")
                .importFrom(new File(System.getProperty("filter.jar", "target/aws-delegation-filter.jar")))
                .as(JavaArchive.class);
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addAsLibrary(filterJar)
                .addClass(DelegationEchoServlet.class)
                .addAsWebInfResource(new StringAsset(configYaml), "aws-delegation.yaml")
                .setWebXML(new StringAsset("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                          <filter>
                            <filter-name>aws-delegation</filter-name>
                            <filter-class>io.github.awsdelegation.servlet.AwsDelegationFilter</filter-class>
                            <init-param><param-name>config</param-name><param-value>/WEB-INF/aws-delegation.yaml</param-value></init-param>
                          </filter>
                          <filter-mapping><filter-name>aws-delegation</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                        </web-app>
                        """));
    }
}

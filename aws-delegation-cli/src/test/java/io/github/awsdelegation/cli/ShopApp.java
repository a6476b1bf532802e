package io.github.awsdelegation.cli;

import io.github.awsdelegation.servlet.AwsDelegationFilter;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.LocalAwsMain;
import io.github.awsdelegation.testkit.LocalRole;
import io.github.awsdelegation.testkit.SigningKeyStores;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * The app the CLI signs in through, as the filter's integration tests deploy it: the filter with the built-in login
 * and a {@code saml} section on embedded Tomcat (127.0.0.1, any free port), against the testkit's IdP and STS, whose
 * IAM SAML provider is made from the metadata the app serves. Started once per test JVM; stops with it.
 */
final class ShopApp {

    static final String PROVIDER = "arn:aws:iam::123456789012:saml-provider/pet-shop";
    static final String BUYER_ROLE = "arn:aws:iam::123456789012:role/pet-shop-saml-buyer";
    static final String REPORTS_ROLE = "arn:aws:iam::123456789012:role/pet-shop-reports";
    static final String PASSWORD_PROPERTY = "AWS_DELEGATION_CLI_IT_SAML_PASSWORD";
    static final String PASSWORD = "it-keystore-password"; // a test value, never a real secret

    private static ShopApp instance;

    final LocalAws aws;
    final URI url;
    private final Tomcat tomcat;

    private ShopApp() throws Exception {
        aws = LocalAwsMain.startDemo();
        for (String role : new String[] {BUYER_ROLE, REPORTS_ROLE}) {
            aws.sts().addRole(LocalRole.trustingSaml(role, PROVIDER));
        }
        Path dir = Files.createTempDirectory("aws-delegation-cli-it");
        Path keyStore = SigningKeyStores.writePkcs12(dir.resolve("saml-signing.p12"), "saml-signing", PASSWORD, "pet-shop SAML IdP");
        System.setProperty(PASSWORD_PROPERTY, PASSWORD);
        Path docBase = Files.createDirectories(dir.resolve("webapp"));
        Files.createDirectories(docBase.resolve("WEB-INF"));
        Files.writeString(docBase.resolve("WEB-INF/aws-delegation.yaml"), """
                oidc:
                  issuer: %s
                  clientId: %s
                sts:
                  region: us-east-1
                  endpoint: %s
                login: {}
                saml:
                  entityId: https://shop.example.com/saml
                  keyStore:
                    path: %s
                    password: ${%s}
                  endpoints:
                    cli: on
                  accountAliases:
                    '123456789012': pet-shop
                rules:
                  - id: social-buyers
                    connectionType: social
                    roles:
                      - arn: %s
                        principal: %s
                      - arn: %s
                        principal: %s
                      - arn: %s
                """.formatted(aws.identityProvider().issuer(), Demo.CLIENT_ID, aws.sts().endpoint(), keyStore, PASSWORD_PROPERTY,
                BUYER_ROLE, PROVIDER, REPORTS_ROLE, PROVIDER, Demo.ADMIN_ROLE_ARN));

        tomcat = new Tomcat();
        tomcat.setBaseDir(dir.resolve("tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("/shop", docBase.toString());
        Tomcat.addServlet(context, "home", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getWriter().write("pet shop");
            }
        });
        context.addServletMappingDecoded("/", "home");
        FilterDef filter = new FilterDef();
        filter.setFilterName("aws-delegation");
        filter.setFilterClass(AwsDelegationFilter.class.getName());
        filter.addInitParameter("config", "/WEB-INF/aws-delegation.yaml");
        context.addFilterDef(filter);
        FilterMap mapping = new FilterMap();
        mapping.setFilterName("aws-delegation");
        mapping.addURLPattern("/*");
        context.addFilterMap(mapping);
        tomcat.start();
        url = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/shop");

        var metadata = new Browser().get(URI.create(url + "/saml/metadata"));
        if (metadata.statusCode() != 200) {
            throw new IllegalStateException("the app serves no metadata: " + metadata.statusCode() + " " + metadata.body());
        }
        aws.sts().addSamlProvider(PROVIDER, metadata.body());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (Exception e) {
                // the JVM is ending anyway
            }
            aws.close();
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary directory; the system cleans it eventually
            }
        }, "cli-it-shutdown"));
    }

    static synchronized ShopApp get() {
        if (instance == null) {
            try {
                instance = new ShopApp();
            } catch (Exception e) {
                throw new IllegalStateException("the test app does not start: " + e, e);
            }
        }
        return instance;
    }
}

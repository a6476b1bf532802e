package io.github.awsdelegation.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration is read when the web app starts, not when the filter first runs (Undertow starts filters at the
 * first request): a wrong document fails the deployment itself, on a real Tomcat context.
 */
class ConfigurationCheckTest {

    @TempDir
    Path dir;

    private final Tomcat tomcat = new Tomcat();
    private final AtomicReference<IllegalStateException> failure = new AtomicReference<>();

    @AfterEach
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    @Test
    @DisplayName("a variable the document needs but nobody set fails the deployment, naming the key")
    void unsetVariable_failsTheDeployment() throws Exception {
        Context context = deploy("""
                oidc:
                  issuer: ${AWS_DELEGATION_TEST_UNSET_ISSUER}
                  clientId: shop
                sts:
                  region: us-east-1
                rules:
                  - id: everyone
                    roles: [{arn: 'arn:aws:iam::123456789012:role/shop'}]
                """);

        assertThat(context.getState()).isNotEqualTo(LifecycleState.STARTED);
        assertThat(failure.get()).as("the check stopped the start").isNotNull()
                .hasMessageContaining("oidc.issuer").hasMessageContaining("AWS_DELEGATION_TEST_UNSET_ISSUER");
    }

    @Test
    @DisplayName("SAML with a real identity provider and no saml.baseUrl fails the deployment (WildFly starts filters late)")
    void samlWithoutBaseUrl_failsTheDeployment() throws Exception {
        java.security.KeyPair pair = io.github.awsdelegation.sts.saml.SamlTestKeys.generate("RSA", 2048);
        Path keyStore = io.github.awsdelegation.sts.saml.SamlTestKeys.writePkcs12(dir.resolve("saml.p12"), "saml", pair,
                io.github.awsdelegation.sts.saml.SamlTestKeys.certificate(pair, "shop"));
        String document = """
                oidc:
                  issuer: https://issuer.invalid/
                  clientId: shop
                sts:
                  region: us-east-1
                saml:
                  entityId: urn:shop
                  keyStore: {path: '%s', password: '%s'}
                rules:
                  - id: everyone
                    roles: [{arn: 'arn:aws:iam::123456789012:role/shop'}]
                """.formatted(keyStore, io.github.awsdelegation.sts.saml.SamlTestKeys.PASSWORD);
        Context context = tomcat.addContext("/saml", dir.toString());
        addFilter(context, "file:" + Files.writeString(dir.resolve("saml.yaml"), document));

        assertThatThrownBy(() -> ConfigurationCheck.check(context.getServletContext()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("saml.baseUrl: is required");

        Files.writeString(dir.resolve("saml.yaml"), document.replace("  entityId: urn:shop\n",
                "  entityId: urn:shop\n  baseUrl: https://shop.example.com/\n"));
        ConfigurationCheck.check(context.getServletContext());
    }

    @Test
    @DisplayName("a valid document passes the check (the filter discovers the issuer later, when it starts)")
    void validDocument_passes() throws Exception {
        Path yaml = Files.writeString(dir.resolve("good.yaml"), """
                oidc:
                  issuer: https://issuer.invalid/
                  clientId: shop
                sts:
                  region: us-east-1
                rules:
                  - id: everyone
                    roles: [{arn: 'arn:aws:iam::123456789012:role/shop'}]
                """);
        Context context = tomcat.addContext("/x", dir.toString());
        addFilter(context, "file:" + yaml);

        ConfigurationCheck.check(context.getServletContext());
    }

    @Test
    @DisplayName("filters of other classes, and a delegation filter built in code (no config init-param), are left alone")
    void otherFilters_ignored() {
        Context context = tomcat.addContext("/y", dir.toString());
        FilterDef other = new FilterDef();
        other.setFilterName("other");
        other.setFilterClass("com.example.OtherFilter");
        other.addInitParameter(AwsDelegationFilter.CONFIG_PARAMETER, "/WEB-INF/missing.yaml");
        context.addFilterDef(other);
        FilterDef inCode = new FilterDef();
        inCode.setFilterName("in-code");
        inCode.setFilterClass(AwsDelegationFilter.class.getName());
        context.addFilterDef(inCode);

        ConfigurationCheck.check(context.getServletContext());
    }

    @Test
    @DisplayName("the check itself names the key and the fix")
    void message_namesTheKey() throws Exception {
        Path yaml = Files.writeString(dir.resolve("bad.yaml"), "oidc:\n  issuer: https://issuer.example.com/\n");
        Context context = tomcat.addContext("/x", dir.toString());
        addFilter(context, "file:" + yaml);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigurationCheck.check(context.getServletContext()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("AWS delegation configuration error: ")
                .hasMessageContaining("oidc.clientId");
    }

    private Context deploy(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("aws-delegation.yaml"), yaml);
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        tomcat.setBaseDir(dir.toString());
        Context context = tomcat.addContext("", dir.toString());
        context.addServletContainerInitializer((classes, servletContext) -> {
            try {
                new ConfigurationCheck().onStartup(classes, servletContext);
            } catch (IllegalStateException e) {
                failure.set(e);
                throw e;
            }
        }, null);
        addFilter(context, "file:" + file);
        try {
            tomcat.start();
        } catch (org.apache.catalina.LifecycleException e) {
            // The failed start is what the test looks at: the context's state and the check's exception.
        }
        return context;
    }

    private static void addFilter(Context context, String location) {
        FilterDef filter = new FilterDef();
        filter.setFilterName("aws-delegation");
        filter.setFilterClass(AwsDelegationFilter.class.getName());
        filter.addInitParameter(AwsDelegationFilter.CONFIG_PARAMETER, location);
        context.addFilterDef(filter);
        FilterMap map = new FilterMap();
        map.setFilterName("aws-delegation");
        map.addURLPattern("/*");
        context.addFilterMap(map);
    }
}

package io.github.awsdelegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.sts.saml.SamlTestKeys;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSAML and Santuario are optional dependencies of the filter (docs/dependencies.md): an app without SAML runs
 * without them, and an app that configures {@code saml:} without them is refused at start-up, naming the key and the
 * dependency to add. Each test starts the filter ({@code AwsDelegationFilter.init}) in a class loader built from this
 * module's test class path without those libraries, as such an app's WAR is.
 */
class SamlWithoutOpenSamlTest {

    static final String OIDC = """
            oidc:
              issuer: http://127.0.0.1:9/
              clientId: pet-shop
            sts:
              region: eu-west-1
            rules:
              - id: buyers
                connectionType: social
                roles:
                  - arn: arn:aws:iam::123456789012:role/buyer
            """;

    @TempDir
    Path dir;

    @Test
    @DisplayName("without OpenSAML on the class path, a configuration without saml: starts, and no OpenSAML class is asked for")
    void noSaml_starts() throws Exception {
        try (URLClassLoader app = withoutOpenSaml()) {
            assertThatThrownBy(() -> Class.forName("org.opensaml.core.config.Initializer", false, app))
                    .as("the class loader hides OpenSAML").isInstanceOf(ClassNotFoundException.class);

            Object filter = init(app, Files.writeString(dir.resolve("oidc.yaml"), OIDC, StandardCharsets.UTF_8));

            filter.getClass().getMethod("destroy").invoke(filter);
        }
    }

    @Test
    @DisplayName("without OpenSAML on the class path, a saml: section fails the start naming the key and aws-delegation-saml")
    void saml_withoutOpenSaml_refusedAtStartup() throws Exception {
        KeyPair pair = SamlTestKeys.rsa2048();
        Path keyStore = SamlTestKeys.writePkcs12(dir.resolve("saml.p12"), "saml-signing", pair,
                SamlTestKeys.certificate(pair, "IdP"));
        Path config = Files.writeString(dir.resolve("saml.yaml"), OIDC + """
                saml:
                  entityId: https://shop.example.com/saml
                  keyStore:
                    path: %s
                    password: %s
                """.formatted(keyStore, SamlTestKeys.PASSWORD), StandardCharsets.UTF_8);

        try (URLClassLoader app = withoutOpenSaml()) {
            assertThatThrownBy(() -> init(app, config))
                    .isInstanceOf(InvocationTargetException.class)
                    .cause().hasMessageContaining("AWS delegation configuration error: saml: ")
                    .hasMessageContaining("needs OpenSAML").hasMessageContaining("io.github.awsdelegation:aws-delegation-saml");
        }
    }

    // AwsDelegationFilter.init with the configuration file, as a servlet container calls it (a context without attributes).
    static Object init(ClassLoader app, Path config) throws Exception {
        Class<?> filterConfig = app.loadClass("jakarta.servlet.FilterConfig");
        Class<?> servletContext = app.loadClass("jakarta.servlet.ServletContext");
        Object context = Proxy.newProxyInstance(app, new Class<?>[] {servletContext}, (proxy, method, args) ->
                method.getName().equals("getFilterRegistrations") ? Map.of() : null);
        Object configuration = Proxy.newProxyInstance(app, new Class<?>[] {filterConfig}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "getInitParameter" -> "config".equals(args[0]) ? "file:" + config : null;
                    case "getServletContext" -> context;
                    default -> null;
                });
        Object filter = app.loadClass("io.github.awsdelegation.servlet.AwsDelegationFilter").getConstructor().newInstance();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(app);
        try {
            filter.getClass().getMethod("init", filterConfig).invoke(filter, configuration);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        return filter;
    }

    // This module's classes and runtime libraries, without OpenSAML, java-support, Santuario and their own libraries.
    static URLClassLoader withoutOpenSaml() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("opensaml-") || name.startsWith("java-support-") || name.startsWith("xmlsec-")
                    || name.startsWith("guava-") || name.startsWith("cryptacular-") || name.startsWith("commons-codec-")) {
                continue;
            }
            urls.add(Path.of(entry).toUri().toURL());
        }
        return new URLClassLoader("app-without-opensaml", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}

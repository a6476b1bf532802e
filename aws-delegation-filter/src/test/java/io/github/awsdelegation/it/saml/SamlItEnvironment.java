package io.github.awsdelegation.it.saml;

import io.github.awsdelegation.it.Http;
import io.github.awsdelegation.it.ItConfig;
import io.github.awsdelegation.it.ItEnvironment;
import io.github.awsdelegation.sts.saml.SamlTestKeys;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.LocalAwsMain;
import io.github.awsdelegation.testkit.LocalRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * What the SAML integration tests run against, started once per test JVM on 127.0.0.1: the testkit's local OIDC
 * provider and STS (with roles that trust this app's IAM SAML provider), and the app's signing key in a PKCS#12
 * keystore whose password reaches the configuration through a system property, as it would through an
 * environment variable in production.
 *
 * <p>The IAM SAML provider itself is made the way an administrator makes it: from the metadata the deployed app
 * serves ({@link #registerProvider}).
 */
final class SamlItEnvironment {

    static final String ENTITY_ID = "https://shop.example.com/saml";
    static final String PROVIDER = "arn:aws:iam::123456789012:saml-provider/pet-shop";
    static final String SAML_BUYER_ROLE = "arn:aws:iam::123456789012:role/pet-shop-saml-buyer";
    static final String SAML_ADMIN_ROLE = "arn:aws:iam::123456789012:role/pet-shop-saml-admin";
    static final String SAML_REPORTS_ROLE = "arn:aws:iam::123456789012:role/pet-shop-reports";
    static final String PASSWORD_PROPERTY = "AWS_DELEGATION_IT_SAML_PASSWORD";
    static final String PASSWORD = SamlTestKeys.PASSWORD; // a test value, never a real secret

    private static SamlItEnvironment instance;

    final LocalAws aws;
    final Path keyStore;
    final X509Certificate certificate;
    final java.security.PrivateKey signingKey;

    private SamlItEnvironment() {
        aws = LocalAwsMain.startDemo();
        for (String role : new String[] {SAML_BUYER_ROLE, SAML_ADMIN_ROLE, SAML_REPORTS_ROLE}) {
            aws.sts().addRole(LocalRole.trustingSaml(role, PROVIDER));
        }
        try {
            KeyPair pair = SamlTestKeys.generate("RSA", 2048);
            certificate = SamlTestKeys.certificate(pair, "pet-shop SAML IdP");
            signingKey = pair.getPrivate();
            Path dir = Files.createTempDirectory("aws-delegation-it-saml");
            keyStore = SamlTestKeys.writePkcs12(dir.resolve("saml-signing.p12"), "saml-signing", pair, certificate);
            keyStore.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.setProperty(PASSWORD_PROPERTY, PASSWORD);
        Runtime.getRuntime().addShutdownHook(new Thread(aws::close, "it-saml-environment-shutdown"));
    }

    static synchronized SamlItEnvironment get() {
        if (instance == null) {
            instance = new SamlItEnvironment();
        }
        return instance;
    }

    /** Makes the IAM SAML provider from the metadata the deployed app serves (aws iam create-saml-provider). */
    void registerProvider(URI metadata) {
        var response = Http.get(metadata, java.util.Map.of());
        if (response.statusCode() != 200) {
            throw new AssertionError("the app serves no metadata at " + metadata + ": " + response.statusCode());
        }
        aws.sts().addSamlProvider(PROVIDER, response.body());
    }

    /**
     * The configuration every SAML test deployment starts from: the testkit's OIDC provider and STS, and a {@code saml}
     * section with this app's entity ID and signing keystore, then {@code extra} keys of that section.
     */
    ItConfig config(String extra) {
        return ItConfig.of(aws).section("saml", """
                entityId: %s
                keyStore:
                  path: %s
                  password: ${%s}
                %s""".formatted(ENTITY_ID, keyStore, PASSWORD_PROPERTY, extra));
    }

    /**
     * A WAR as a user would build it: the filter's packaged jar in WEB-INF/lib, web.xml mapping the filter to /*, the
     * configuration document, and a servlet that shows what the filter attached to the request.
     */
    static WebArchive war(String name, ItConfig config) {
        return ItEnvironment.war(name, config);
    }
}

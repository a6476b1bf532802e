package io.github.awsdelegation.it.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.it.Http;
import io.github.awsdelegation.it.ItConfig;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.IssuedSession;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SAML side of "secrets never leak", with every logger at TRACE (the trace Failsafe execution): signing,
 * AssumeRoleWithSAML, console sign-in and /delegation leave no assertion, signing key, keystore password,
 * secret key or session token in the log.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SamlSecretsNeverLeakIT {

    @Deployment(testable = false)
    static WebArchive shop() {
        SamlItEnvironment env = SamlItEnvironment.get();
        return SamlItEnvironment.war("saml-secrets", env.config("""
                        delegation:
                          enabled: true
                        """)
                .section("login", "{}")
                .rule("social-buyers", "social",
                        ItConfig.role(SamlItEnvironment.SAML_BUYER_ROLE).principal(SamlItEnvironment.PROVIDER)));
    }

    @ArquillianResource
    URL base;

    final SamlItEnvironment env = SamlItEnvironment.get();
    final LocalIdentityProvider idp = env.aws.identityProvider();
    final LocalSts sts = env.aws.sts();

    @Test
    @DisplayName("SAML at TRACE: no assertion, key, password or credential in the log")
    void samlRun_noSecrets() throws Exception {
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "target/trace-it.log"));
        assertThat(System.getProperty("org.slf4j.simpleLogger.defaultLogLevel")).as("run by the trace execution").isEqualTo("trace");
        env.registerProvider(URI.create(base + "saml/metadata"));

        // AssumeRoleWithSAML for an API client.
        String token = idp.newIdToken().subject("amazon|" + UUID.randomUUID()).sign();
        HttpResponse<String> api = Http.get(URI.create(base + "whoami"), Map.of("Authorization", "Bearer " + token));
        assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
        // Console sign-in: the browser gets the signed SAML response (by nature), the log must not.
        HttpResponse<String> console = new Http.StepBrowser().signIn(URI.create(base + "saml/console"),
                "connection=amazon&social_user=" + Http.enc(Demo.BUYER_AMAZON_ID));
        String samlResponse = Http.input(console.body(), "SAMLResponse");
        String assertionXml = new String(Base64.getDecoder().decode(samlResponse), StandardCharsets.UTF_8);
        // /delegation (credentials go to the client by design, never to the log).
        HttpResponse<String> delegation = Http.post(URI.create(base + "delegation"), "application/x-www-form-urlencoded",
                Http.form(Map.of("client_id", Demo.CLIENT_ID, "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                        "id_token", idp.newIdToken().subject("amazon|" + UUID.randomUUID()).sign(), "target", Demo.CLIENT_ID,
                        "api_type", "aws")), Map.of());
        assertThat(delegation.statusCode()).as(delegation.body()).isEqualTo(200);
        Thread.sleep(300);

        List<String> secrets = new ArrayList<>(List.of(token, samlResponse, SamlItEnvironment.PASSWORD,
                Base64.getEncoder().encodeToString(env.signingKey.getEncoded()).substring(0, 64)));
        String signatureValue = assertionXml.replaceAll("(?s).*<ds:SignatureValue>([^<]{40}).*", "$1");
        secrets.add(signatureValue);
        for (IssuedSession session : sts.sessions()) {
            secrets.add(session.secretAccessKey());
            secrets.add(session.sessionToken());
        }
        String logged = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(logged).contains("TRACE");
        for (String secret : secrets) {
            assertThat(logged).doesNotContain(secret);
        }
        assertThat(logged).doesNotContain("<saml2:Assertion").doesNotContain("SignatureValue").doesNotContain("PRIVATE KEY");
    }
}

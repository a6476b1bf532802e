package io.github.awsdelegation.it.saml;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.it.Http;
import io.github.awsdelegation.it.ItConfig;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SAML endpoints against a forged {@code Host} and a borrowed token, on embedded Tomcat: without
 * {@code saml.baseUrl} (allowed for a loopback deployment only) the metadata is served for loopback hosts alone and
 * never to a shared cache; {@code /delegation} trades a token only for the client it was issued to.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SamlEndpointsHardeningIT {

    static final String MOBILE = "pet-shop-mobile";

    @Deployment(testable = false)
    static WebArchive shop() {
        SamlItEnvironment env = SamlItEnvironment.get();
        return SamlItEnvironment.war("saml-hardening", env.config("""
                        delegation:
                          clientIds: [%s, %s]
                          rateLimit: 0
                        """.formatted(Demo.CLIENT_ID, MOBILE))
                .rule("social-buyers", "social",
                        ItConfig.role(SamlItEnvironment.SAML_BUYER_ROLE).principal(SamlItEnvironment.PROVIDER)));
    }

    @ArquillianResource
    URL base;

    final SamlItEnvironment env = SamlItEnvironment.get();
    final LocalIdentityProvider idp = env.aws.identityProvider();

    /** {@code GET path} with the Host header as written (a client cannot set Host otherwise): status line and all. */
    String getWithHost(String path, String host) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + base.getPath() + path.substring(1) + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @DisplayName("without saml.baseUrl, a forged Host gets 400 and no metadata naming it")
    void metadata_foreignHost_refused() throws IOException {
        String answer = getWithHost("/saml/metadata", "evil.example");

        assertThat(answer).startsWith("HTTP/1.1 400").contains("saml.baseUrl").doesNotContain("EntityDescriptor")
                .doesNotContain("evil.example");
    }

    @Test
    @DisplayName("without saml.baseUrl, loopback hosts get the metadata, marked for no cache at all")
    void metadata_loopbackHost_servedUncached() throws IOException {
        String answer = getWithHost("/saml/metadata", "127.0.0.1:" + base.getPort());
        String localhost = getWithHost("/saml/metadata", "localhost:" + base.getPort());

        assertThat(answer).startsWith("HTTP/1.1 200").contains("Cache-Control: no-store").doesNotContain("public")
                .contains("Location=\"http://127.0.0.1:" + base.getPort() + base.getPath() + "saml/console\"");
        assertThat(localhost).startsWith("HTTP/1.1 200").contains("Cache-Control: no-store")
                .contains("Location=\"http://localhost:" + base.getPort());
    }

    Map<String, String> form(String clientId, String target, String idToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", clientId);
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
        form.put("id_token", idToken);
        if (target != null) {
            form.put("target", target);
        }
        form.put("api_type", "aws");
        return form;
    }

    HttpResponse<String> delegate(Map<String, String> form) {
        return Http.post(URI.create(base + "delegation"), "application/x-www-form-urlencoded", Http.form(form), Map.of());
    }

    static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return JSONObjectUtils.parse(response.body());
    }

    @Test
    @DisplayName("/delegation: a token issued to the web client is no grant for the mobile client, as client_id or as target")
    void delegation_clientNotTheTokensAudience_refused() throws Exception {
        String webToken = idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID);  // aud: pet-shop

        HttpResponse<String> asMobile = delegate(form(MOBILE, null, webToken));
        HttpResponse<String> targetMobile = delegate(form(Demo.CLIENT_ID, MOBILE, webToken));

        assertThat(asMobile.statusCode()).isEqualTo(400);
        assertThat(json(asMobile)).containsEntry("error", "invalid_grant");
        assertThat((String) json(asMobile).get("error_description")).contains("not issued to 'pet-shop-mobile'");
        assertThat(asMobile.body()).doesNotContain("AccessKeyId");
        assertThat(targetMobile.statusCode()).isEqualTo(400);
        assertThat((String) json(targetMobile).get("error_description")).contains("not issued to 'pet-shop-mobile'");
    }

    @Test
    @DisplayName("/delegation: the client the token was issued to (its aud) gets credentials")
    void delegation_tokensOwnClient_granted() throws Exception {
        env.registerProvider(URI.create(base + "saml/metadata"));
        HttpResponse<String> response = delegate(form(Demo.CLIENT_ID, Demo.CLIENT_ID, idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).containsKey("Credentials");
    }
}

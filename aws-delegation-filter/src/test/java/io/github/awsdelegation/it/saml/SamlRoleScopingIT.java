package io.github.awsdelegation.it.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.it.Http;
import io.github.awsdelegation.it.ItConfig;
import io.github.awsdelegation.scope.internal.RoleSessionNames;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.IssuedSession;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithSamlResponse;

/**
 * Assertions of several roles (console {@code roleChooser: aws}, {@code /saml/cli} without {@code role=}) and roles
 * with scoping of their own (session tags, source identity), and the command-line client's endpoint turned on:
 * a role with its own tags is only ever signed alone, so no assertion hands it out without them; the CLI endpoint
 * signs nothing until the user confirms the port and roles.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SamlRoleScopingIT {

    static final String DATABASE_LOGIN = "connection=" + LocalIdentityProvider.DATABASE_CONNECTION + "&username="
            + Http.enc(Demo.ADMIN_USERNAME) + "&password=" + Http.enc(Demo.ADMIN_PASSWORD);

    /** The tagged role: the admin role, with a session tag and a source identity of its own. */
    static final String TAGGED = SamlItEnvironment.SAML_ADMIN_ROLE;

    @Deployment(testable = false)
    static WebArchive shop() {
        SamlItEnvironment env = SamlItEnvironment.get();
        return SamlItEnvironment.war("saml-scoping", env.config("""
                        accountAliases:
                          '123456789012': pet-shop
                        endpoints:
                          cli: on
                        console:
                          roleChooser: aws
                        """)
                .section("login", "{}")
                .rule("database-admins", "database",
                        ItConfig.role(TAGGED).principal(SamlItEnvironment.PROVIDER)
                                .with("tags", "team: pets").with("sourceIdentity", "${sessionName}"),
                        ItConfig.role(SamlItEnvironment.SAML_BUYER_ROLE).principal(SamlItEnvironment.PROVIDER),
                        ItConfig.role(SamlItEnvironment.SAML_REPORTS_ROLE).principal(SamlItEnvironment.PROVIDER)));
    }

    @ArquillianResource
    URL base;

    final SamlItEnvironment env = SamlItEnvironment.get();

    URI app(String path) {
        return URI.create(base + path);
    }

    String origin() {
        return base.getProtocol() + "://" + base.getAuthority();
    }

    @BeforeEach
    void iamKnowsThisApp() {
        env.registerProvider(app("saml/metadata"));
    }

    static String xml(String page) {
        return new String(Base64.getDecoder().decode(Http.input(page, "SAMLResponse")), StandardCharsets.UTF_8);
    }

    static AssumeRoleWithSamlResponse assume(SamlItEnvironment env, String role, String page) {
        try (StsClient client = StsClient.builder().endpointOverride(env.aws.sts().endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            return client.assumeRoleWithSAML(b -> b.roleArn(role).principalArn(SamlItEnvironment.PROVIDER)
                    .samlAssertion(Http.input(page, "SAMLResponse")));
        }
    }

    @Test
    @DisplayName("roleChooser aws with a role of its own tags: the app's chooser is shown instead of an assertion of all roles, "
            + "and the tagged role, chosen, is signed alone with its tag and source identity, which STS gives the session")
    void console_roleChooserAws_taggedRoleSignedAlone() {
        Http.StepBrowser browser = new Http.StepBrowser();
        HttpResponse<String> chooser = browser.signIn(app("saml/console"), DATABASE_LOGIN);

        assertThat(chooser.statusCode()).isEqualTo(200);
        assertThat(chooser.body()).contains("Choose a role for the AWS console", "AWS's role chooser cannot keep apart",
                ">pet-shop-saml-admin</button>", ">pet-shop-saml-buyer</button>", ">pet-shop-reports</button>")
                .doesNotContain("SAMLResponse");

        HttpResponse<String> chosen = browser.postForm(app("saml/console"), "csrf_token="
                + Http.enc(Http.input(chooser.body(), "csrf_token")) + "&role=" + Http.enc(TAGGED),
                Map.of("Origin", origin(), "Sec-Fetch-Site", "same-origin"));

        String xml = xml(chosen.body());
        assertThat(xml).contains(TAGGED + "," + SamlItEnvironment.PROVIDER, "PrincipalTag:team", ">pets<", "SourceIdentity")
                .doesNotContain(SamlItEnvironment.SAML_BUYER_ROLE).doesNotContain(SamlItEnvironment.SAML_REPORTS_ROLE);
        AssumeRoleWithSamlResponse session = assume(env, TAGGED, chosen.body());
        IssuedSession issued = env.aws.sts().session(session.credentials().accessKeyId()).orElseThrow();
        assertThat(issued.sessionTags()).containsEntry("team", "pets");
        assertThat(issued.sourceIdentity()).isEqualTo(RoleSessionNames.of(session.subject()));
    }

    @Test
    @DisplayName("/saml/cli without role: the confirmation names the port and the untagged roles and says the tagged one "
            + "needs --role; the confirmed assertion names only the untagged roles, so STS cannot give the tagged role from it")
    void cli_multiRole_leavesOutTheTaggedRole() {
        Http.StepBrowser browser = new Http.StepBrowser();
        String query = "callback=" + Http.enc("http://127.0.0.1:41234/saml") + "&state=abcdefghijklmnop0123";

        HttpResponse<String> confirmation = browser.signIn(app("saml/cli?" + query), DATABASE_LOGIN);

        assertThat(confirmation.statusCode()).as(confirmation.body()).isEqualTo(200);
        assertThat(confirmation.body()).contains("listening on <strong>port 41234</strong> (http://127.0.0.1:41234)",
                "<li>pet-shop-saml-buyer in account pet-shop (123456789012)</li>",
                "<li>pet-shop-reports in account pet-shop (123456789012)</li>",
                "Not included, because each has its own session tags or source identity",
                "pet-shop-saml-admin in account pet-shop (123456789012): --role " + TAGGED)
                .doesNotContain("SAMLResponse");
        assertThat(confirmation.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("form-action 'self'").doesNotContain("script-src"));

        HttpResponse<String> signed = browser.postForm(app("saml/cli"), query + "&csrf_token="
                + Http.enc(Http.input(confirmation.body(), "csrf_token")), Map.of("Origin", origin()));

        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        assertThat(Http.formAction(signed.body())).isEqualTo("http://127.0.0.1:41234/saml");
        assertThat(Http.input(signed.body(), "state")).isEqualTo("abcdefghijklmnop0123");
        String xml = xml(signed.body());
        assertThat(xml).contains(SamlItEnvironment.SAML_BUYER_ROLE + "," + SamlItEnvironment.PROVIDER,
                SamlItEnvironment.SAML_REPORTS_ROLE + "," + SamlItEnvironment.PROVIDER)
                .doesNotContain(TAGGED).doesNotContain("PrincipalTag:team");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assume(env, TAGGED, signed.body()))
                .as("STS gives only a role the assertion names").isInstanceOf(software.amazon.awssdk.services.sts.model.StsException.class);
    }

    @Test
    @DisplayName("/saml/cli with role= the tagged role: after confirmation, an assertion of that role alone, with its tag")
    void cli_chosenTaggedRole_signedAloneWithItsTags() {
        Http.StepBrowser browser = new Http.StepBrowser();
        String query = "callback=" + Http.enc("http://127.0.0.1:41235/saml") + "&state=abcdefghijklmnop0124&role="
                + Http.enc(TAGGED);

        HttpResponse<String> confirmation = browser.signIn(app("saml/cli?" + query), DATABASE_LOGIN);
        HttpResponse<String> signed = browser.postForm(app("saml/cli"), query + "&csrf_token="
                + Http.enc(Http.input(confirmation.body(), "csrf_token")), Map.of("Origin", origin()));

        assertThat(confirmation.body()).contains("with this role:", "<li>pet-shop-saml-admin in account pet-shop (123456789012)</li>")
                .doesNotContain("Not included");
        String xml = xml(signed.body());
        assertThat(xml).contains(TAGGED + "," + SamlItEnvironment.PROVIDER, "PrincipalTag:team", ">pets<")
                .doesNotContain(SamlItEnvironment.SAML_BUYER_ROLE);
        IssuedSession issued = env.aws.sts().session(assume(env, TAGGED, signed.body()).credentials().accessKeyId()).orElseThrow();
        assertThat(issued.sessionTags()).containsEntry("team", "pets");
    }

    @Test
    @DisplayName("the role listing says which roles cannot share a multi-role assertion")
    void roleListing_saysWhichRolesGoAlone() {
        Http.StepBrowser browser = new Http.StepBrowser();
        browser.signIn(app("saml/console"), DATABASE_LOGIN);

        HttpResponse<String> listing = browser.get(app("saml/roles"));

        assertThat(listing.body()).containsPattern("\"roleName\":\"pet-shop-saml-admin\".*?\"multiRoleAssertion\":false")
                .containsPattern("\"roleName\":\"pet-shop-reports\".*?\"multiRoleAssertion\":true");
    }
}

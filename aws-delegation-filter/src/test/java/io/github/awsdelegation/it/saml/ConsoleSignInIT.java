package io.github.awsdelegation.it.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.it.Http;
import io.github.awsdelegation.it.ItConfig;
import io.github.awsdelegation.scope.internal.RoleSessionNames;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Console single sign-on in a browser session: a signed-in user is handed an auto-submitting SAML POST to the AWS
 * sign-in endpoint; with several roles a chooser comes first, and its POST is protected against CSRF. The response
 * handed to the browser is the one AWS would accept: the local STS takes it too.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleSignInIT {

    static final String DATABASE_LOGIN = "connection=" + LocalIdentityProvider.DATABASE_CONNECTION + "&username="
            + Http.enc(Demo.ADMIN_USERNAME) + "&password=" + Http.enc(Demo.ADMIN_PASSWORD);
    static final String SOCIAL_LOGIN = "connection=" + LocalIdentityProvider.SOCIAL_CONNECTION;

    @Deployment(testable = false)
    static WebArchive shop() {
        SamlItEnvironment env = SamlItEnvironment.get();
        return SamlItEnvironment.war("saml-console", env.config("""
                        accountAliases:
                          '123456789012': pet-shop
                        console:
                          relayState: https://console.aws.amazon.com/s3/
                        """)
                .section("login", "{}")
                .rule("social-buyers", "social",
                        ItConfig.role(SamlItEnvironment.SAML_BUYER_ROLE).principal(SamlItEnvironment.PROVIDER))
                .rule("database-admins", "database",
                        ItConfig.role(SamlItEnvironment.SAML_ADMIN_ROLE).principal(SamlItEnvironment.PROVIDER),
                        ItConfig.role(SamlItEnvironment.SAML_REPORTS_ROLE).principal(SamlItEnvironment.PROVIDER),
                        ItConfig.role(Demo.ADMIN_ROLE_ARN)));
    }

    @ArquillianResource
    URL base;

    final SamlItEnvironment env = SamlItEnvironment.get();

    URI console() {
        return URI.create(base + "saml/console");
    }

    @BeforeEach
    void iamKnowsThisApp() {
        env.registerProvider(URI.create(base + "saml/metadata"));
    }

    static String samlResponseXml(String page) {
        return new String(Base64.getDecoder().decode(Http.input(page, "SAMLResponse")), StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("without a session, console sign-in starts the login and comes back to the console endpoint")
    void notSignedIn_redirectsToLogin() {
        HttpResponse<String> response = new Http.StepBrowser().get(console());

        assertThat(response.statusCode()).isEqualTo(302);
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(env.aws.identityProvider().authorizationEndpoint().toString());
        assertThat(Http.query(location)).containsEntry("client_id", Demo.CLIENT_ID);
    }

    @Test
    @DisplayName("one role: an auto-submitting POST of a signed response to https://signin.aws.amazon.com/saml, never cached or framed")
    void singleRole_autoPostsToAwsSignIn() {
        HttpResponse<String> page = new Http.StepBrowser().signIn(console(), SOCIAL_LOGIN);

        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.uri().getPath()).endsWith("/saml/console");
        assertThat(Http.formAction(page.body())).isEqualTo("https://signin.aws.amazon.com/saml");
        assertThat(page.body()).contains("<form id=\"aws-sign-in\" method=\"post\"", "Continue to the AWS console");
        assertThat(Http.input(page.body(), "RelayState")).isEqualTo("https://console.aws.amazon.com/s3/");
        Matcher nonce = Pattern.compile("<script nonce=\"([^\"]+)\">document.getElementById\\('aws-sign-in'\\).submit\\(\\);</script>")
                .matcher(page.body());
        assertThat(nonce.find()).isTrue();
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'nonce-" + nonce.group(1) + "'", "form-action https://signin.aws.amazon.com",
                        "frame-ancestors 'none'", "default-src 'none'"));
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");

        String xml = samlResponseXml(page.body());
        assertThat(xml).contains("Destination=\"https://signin.aws.amazon.com/saml\"",
                "Recipient=\"https://signin.aws.amazon.com/saml\"",
                "<saml2:Audience>https://signin.aws.amazon.com/saml</saml2:Audience>",
                SamlItEnvironment.SAML_BUYER_ROLE + "," + SamlItEnvironment.PROVIDER,
                "nameid-format:persistent\">amazon|amzn1.account.DEMO</saml2:NameID>");
        assertThat(xml).doesNotContain("pet-shop-saml-admin");
    }

    @Test
    @DisplayName("the response handed to the browser is accepted by STS (what AWS's sign-in endpoint checks)")
    void consoleResponse_isAcceptedBySts() {
        HttpResponse<String> page = new Http.StepBrowser().signIn(console(), SOCIAL_LOGIN);

        AssumeRoleWithSamlResponse answer;
        try (StsClient client = StsClient.builder().endpointOverride(env.aws.sts().endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            answer = client.assumeRoleWithSAML(b -> b.roleArn(SamlItEnvironment.SAML_BUYER_ROLE)
                    .principalArn(SamlItEnvironment.PROVIDER).samlAssertion(Http.input(page.body(), "SAMLResponse")));
        }

        assertThat(answer.subject()).isEqualTo("amazon|amzn1.account.DEMO");
        assertThat(answer.assumedRoleUser().arn()).endsWith(":assumed-role/pet-shop-saml-buyer/" + RoleSessionNames.of("amazon|amzn1.account.DEMO"));
    }

    @Test
    @DisplayName("several roles: a chooser (console roles only) whose POST carries the CSRF token; the choice is signed alone")
    void severalRoles_chooserThenPost() {
        Http.StepBrowser browser = new Http.StepBrowser();
        HttpResponse<String> chooser = browser.signIn(console(), DATABASE_LOGIN);

        assertThat(chooser.statusCode()).isEqualTo(200);
        assertThat(chooser.body()).contains("Choose a role for the AWS console", ">pet-shop-saml-admin</button> in account pet-shop (123456789012)",
                ">pet-shop-reports</button>").doesNotContain(">pet-shop-admin</button>");
        assertThat(chooser.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("form-action 'self'").doesNotContain("script-src"));
        String csrf = Http.input(chooser.body(), "csrf_token");

        HttpResponse<String> chosen = browser.postForm(console(), "csrf_token=" + Http.enc(csrf) + "&role="
                + Http.enc(SamlItEnvironment.SAML_REPORTS_ROLE), Map.of("Origin", origin(), "Sec-Fetch-Site", "same-origin"));

        assertThat(chosen.statusCode()).as(chosen.body()).isEqualTo(200);
        assertThat(Http.formAction(chosen.body())).isEqualTo("https://signin.aws.amazon.com/saml");
        String xml = samlResponseXml(chosen.body());
        assertThat(xml).contains(SamlItEnvironment.SAML_REPORTS_ROLE + "," + SamlItEnvironment.PROVIDER)
                .doesNotContain(SamlItEnvironment.SAML_ADMIN_ROLE);
    }

    @Test
    @DisplayName("the command-line client's endpoint is off unless configured: /saml/cli signs nothing and asks nothing")
    void cliEndpoint_offByDefault() {
        Http.StepBrowser browser = new Http.StepBrowser();
        browser.signIn(console(), SOCIAL_LOGIN);

        HttpResponse<String> cli = browser.get(URI.create(base + "saml/cli?callback=" + Http.enc("http://127.0.0.1:41230/saml")
                + "&state=abcdefghijklmnop0123"));

        assertThat(cli.body()).doesNotContain("SAMLResponse").doesNotContain("command-line client");
    }

    @Test
    @DisplayName("the chooser's POST is refused without the CSRF token, from another origin or site, or for a role not offered")
    void chooserPost_forgeries_areRefused() {
        Http.StepBrowser browser = new Http.StepBrowser();
        String csrf = Http.input(browser.signIn(console(), DATABASE_LOGIN).body(), "csrf_token");
        String role = "&role=" + Http.enc(SamlItEnvironment.SAML_ADMIN_ROLE);

        HttpResponse<String> noToken = browser.postForm(console(), role.substring(1), Map.of());
        HttpResponse<String> wrongToken = browser.postForm(console(), "csrf_token=guess" + role, Map.of());
        HttpResponse<String> crossSite = browser.postForm(console(), "csrf_token=" + Http.enc(csrf) + role,
                Map.of("Sec-Fetch-Site", "cross-site"));
        HttpResponse<String> otherOrigin = browser.postForm(console(), "csrf_token=" + Http.enc(csrf) + role,
                Map.of("Origin", "https://evil.example.com"));
        HttpResponse<String> webIdentityRole = browser.postForm(console(), "csrf_token=" + Http.enc(csrf) + "&role="
                + Http.enc(Demo.ADMIN_ROLE_ARN), Map.of());
        HttpResponse<String> anotherUsersRole = browser.postForm(console(), "csrf_token=" + Http.enc(csrf) + "&role="
                + Http.enc("arn:aws:iam::123456789012:role/OrganizationAccountAccessRole"), Map.of());
        HttpResponse<String> stranger = new Http.StepBrowser().postForm(console(), "csrf_token=" + Http.enc(csrf) + role,
                Map.of());

        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("CSRF token");
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(crossSite.body()).contains("another site");
        assertThat(otherOrigin.statusCode()).isEqualTo(403);
        assertThat(webIdentityRole.statusCode()).isEqualTo(403);
        assertThat(anotherUsersRole.statusCode()).isEqualTo(403);
        assertThat(stranger.statusCode()).as("no session, no console").isEqualTo(401);
        for (HttpResponse<String> refused : java.util.List.of(noToken, wrongToken, crossSite, otherOrigin, webIdentityRole,
                anotherUsersRole, stranger)) {
            assertThat(refused.body()).doesNotContain("SAMLResponse");
        }
    }

    private String origin() {
        return base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
    }
}

package com.example.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAwsExtension;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import io.github.awsdelegation.testkit.StsCall;
import java.io.File;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * README's Quick start, as written: the packaged WAR (its web.xml and aws-delegation.yaml) on Tomcat, with the
 * variables the YAML names pointing it at the testkit's local OIDC provider and STS, called over HTTP.
 *
 * <p>The WAR runs as deployed, from its own WEB-INF/lib. Its SLF4J cannot use this test's slf4j-simple (another
 * class loader), so the filter logs nothing here; its start-up errors still reach Tomcat's log and fail the deployment.
 */
class QuickstartIT {

    static final String CLIENT_SECRET = "quickstart-client-secret";

    // The demo users and roles, with the app registered as a confidential client: the YAML's login.clientSecret.
    @RegisterExtension
    static LocalAwsExtension aws = LocalAwsExtension.builder()
            .identityProvider(idp -> idp.client(Demo.CLIENT_ID, CLIENT_SECRET, List.of()).allowAnyLoopbackRedirect(true))
            .build();

    static Tomcat tomcat;
    static URI base;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void deployTheWar() throws LifecycleException {
        // The variables of README's YAML, as system properties (environment variables work the same way).
        System.setProperty("OIDC_ISSUER", aws.identityProvider().issuer().toString());
        System.setProperty("OIDC_CLIENT_ID", Demo.CLIENT_ID);
        System.setProperty("OIDC_CLIENT_SECRET", CLIENT_SECRET);
        System.setProperty("AWS_STS_ENDPOINT", aws.sts().endpoint().toString());

        File baseDir = new File("target/tomcat");
        new File(baseDir, "webapps").mkdirs();
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.getAbsolutePath());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        // Tomcat's defaults minus the JSP servlet (no Jasper here): the static files' servlet and welcome file.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context webapp = tomcat.addWebapp("", new File("target/quickstart.war").getAbsolutePath());
        Tomcat.addServlet(webapp, "default", new DefaultServlet());
        webapp.addServletMappingDecoded("/", "default");
        webapp.addWelcomeFile("index.html");
        Tomcat.addDefaultMimeTypeMappings(webapp);
        tomcat.start();
        assertThat(tomcat.getHost().findChild("").getState()).as("the WAR deployed, its configuration accepted")
                .isEqualTo(LifecycleState.STARTED);
        base = URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/");
    }

    @AfterAll
    static void stop() throws LifecycleException {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @BeforeEach
    void freshCounts(LocalSts sts) {
        sts.resetCalls();
    }

    @Test
    @DisplayName("a signed-in database user gets the admin role, with credentials from STS")
    void databaseUser_adminRole(LocalIdentityProvider idp, LocalSts sts) throws Exception {
        // A database user (Auth0's "auth0|" subjects) no earlier test signed in, so that STS is asked, not the cache.
        String subject = "auth0|" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        HttpResponse<String> response = get("whoami", Map.of("Authorization", "Bearer " + idp.newIdToken().subject(subject).sign()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("subject: " + subject)
                .contains("connection: database")
                .contains("role: arn:aws:iam::123456789012:role/pet-shop-admin")
                .contains("rule: database-admins")
                .contains("assumed role: arn:aws:sts::123456789012:assumed-role/pet-shop-admin/");
        assertThat(sts.calls()).as("credentials the local STS issued to this user, for the admin role")
                .anySatisfy(call -> {
                    assertThat(call.action()).isEqualTo("AssumeRoleWithWebIdentity");
                    assertThat(call.subject()).isEqualTo(subject);
                    assertThat(call.roleArn()).isEqualTo(Demo.ADMIN_ROLE_ARN);
                    assertThat(call.outcome()).isEqualTo(StsCall.SUCCESS);
                });
    }

    @Test
    @DisplayName("a signed-in social user gets the buyer role")
    void socialUser_buyerRole(LocalIdentityProvider idp) throws Exception {
        HttpResponse<String> response = get("whoami", Map.of(
                "Authorization", "Bearer " + idp.idTokenForSocialUser(Demo.BUYER_AMAZON_ID)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("subject: amazon|" + Demo.BUYER_AMAZON_ID)
                .contains("role: arn:aws:iam::123456789012:role/pet-shop-buyer")
                .contains("rule: social-buyers");
    }

    @Test
    @DisplayName("without a token, the app's protected page answers 401 with WWW-Authenticate")
    void noToken_401(LocalSts sts) throws Exception {
        HttpResponse<String> response = get("whoami", Map.of());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(response.body()).doesNotContain("role:");
        assertThat(sts.callCount("AssumeRoleWithWebIdentity")).isZero();
    }

    @Test
    @DisplayName("a browser signs in with the built-in login (authorization code flow, client secret) and sees its role")
    void browserSignIn_databaseUser_adminRole() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).build();

        // The protected page sends the browser to the provider's login page...
        HttpResponse<String> loginPage = browser.send(HttpRequest.newBuilder(base.resolve("whoami"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        Matcher tx = Pattern.compile("name=\"tx\" value=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(tx.find()).as("the local provider's login page, reached from %s", loginPage.uri()).isTrue();
        // ...the user signs in there, and lands back on it through /callback.
        String form = "tx=" + encode(tx.group(1)) + "&connection=Username-Password-Authentication&username="
                + encode(Demo.ADMIN_USERNAME) + "&password=" + encode(Demo.ADMIN_PASSWORD);
        HttpResponse<String> landed = browser.send(HttpRequest.newBuilder(loginPage.uri().resolve("/authorize"))
                .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(landed.uri()).isEqualTo(base.resolve("whoami"));
        assertThat(landed.statusCode()).isEqualTo(200);
        assertThat(landed.body()).contains("role: arn:aws:iam::123456789012:role/pet-shop-admin")
                .contains("rule: database-admins");
    }

    @Test
    @DisplayName("a public path of the YAML is served without a token")
    void publicPath_noToken_200() throws Exception {
        HttpResponse<String> response = get("", Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("aws-delegation quick start");
    }

    @Test
    @DisplayName("the WAR carries one HTTP client, and no SAML library: the Quick start configures no saml: section")
    void war_libraries() throws IOException {
        List<String> libraries;
        try (ZipFile war = new ZipFile("target/quickstart.war")) {
            libraries = war.stream().map(ZipEntry::getName).filter(n -> n.startsWith("WEB-INF/lib/"))
                    .map(n -> n.substring("WEB-INF/lib/".length())).toList();
        }
        assertThat(libraries).contains("sts-2.56.0.jar", "url-connection-client-2.56.0.jar");
        assertThat(libraries).as("no unused HTTP client stack (docs/dependencies.md)")
                .noneMatch(n -> n.startsWith("apache5-client") || n.startsWith("httpclient5") || n.startsWith("httpcore5")
                        || n.startsWith("httpclient-") || n.startsWith("httpcore-") || n.startsWith("netty-"));
        assertThat(libraries).as("OpenSAML and what it brings come with aws-delegation-saml, for apps that use SAML")
                .noneMatch(n -> n.startsWith("opensaml-") || n.startsWith("xmlsec-") || n.startsWith("guava-"));
        assertThat(libraries).as("the Jakarta APIs come from the container").noneMatch(n -> n.startsWith("jakarta.servlet-api"));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

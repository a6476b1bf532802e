package io.github.awsdelegation.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.Demo;
import java.io.File;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What README's run command starts: the WAR on embedded Tomcat with the local IdP and STS, signed in through a browser's steps. */
class SampleLauncherIT {

    static SampleLauncher.Running sample;
    static URI base;

    @BeforeAll
    static void start() throws Exception {
        sample = SampleLauncher.start(new File("target/sample-war"), 0);
        base = URI.create("http://127.0.0.1:" + sample.port() + "/");
    }

    @AfterAll
    static void stop() {
        sample.close();
    }

    @Test
    @DisplayName("the home page needs no sign-in")
    void home_isPublic() throws Exception {
        HttpResponse<String> home = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("Pet shop");
    }

    @Test
    @DisplayName("a database user signs in with a password and gets the admin role")
    void databaseUser_signsIn_admin() throws Exception {
        String page = signIn("username=" + enc(Demo.ADMIN_USERNAME) + "&password=" + enc(Demo.ADMIN_PASSWORD)
                + "&connection=Username-Password-Authentication");

        assertThat(page).contains("pet-shop-admin").contains("database-admins").contains("assumed-role/pet-shop-admin/auth0-");
        assertThat(page).doesNotContainIgnoringCase("secret").doesNotContain("ASIA");
    }

    @Test
    @DisplayName("a social user continues with Amazon and gets the buyer role")
    void socialUser_signsIn_buyer() throws Exception {
        String page = signIn("connection=amazon&social_user=" + enc(Demo.BUYER_AMAZON_ID));

        assertThat(page).contains("pet-shop-buyer").contains("social-buyers").contains("amazon-");
    }

    // Does what a browser does: follow the filter's redirect to the IdP, submit its login form, follow back.
    private String signIn(String form) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(base.resolve("me"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.uri().toString()).contains("/authorize");
        Matcher tx = Pattern.compile("name=\"tx\" value=\"([^\"]+)\"").matcher(login.body());
        assertThat(tx.find()).as("the IdP's login page").isTrue();
        HttpResponse<String> me = browser.send(HttpRequest.newBuilder(login.uri().resolve("/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString("tx=" + enc(tx.group(1)) + "&" + form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.uri().getPath()).isEqualTo("/me");
        return me.body();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

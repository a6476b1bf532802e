package io.github.awsdelegation.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.Demo;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
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

/**
 * Cross-site request forgery against a signed-in browser: a page on another site makes the victim's browser send a
 * state-changing request to the app, and the session cookie goes with it. The filter refuses it (403
 * {@code cross_site_request}) before any role is decided or credentials are issued; the app's own pages, the origins
 * the app lists, and bearer-token clients are unaffected. Run on embedded Tomcat with the built-in login.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CrossSiteRequestsIT {

    static final String EVIL = "https://evil.example";
    static final String PARTNER = "https://admin.example.com";

    @Deployment(testable = false)
    static WebArchive shop() {
        ItEnvironment env = ItEnvironment.get();
        return ItEnvironment.war("csrf", ItConfig.of(env.aws)
                .section("login", "{}")
                .section("request", "allowedOrigins: [" + PARTNER + "]")
                .rule("database-admins", "database", ItConfig.role(Demo.BUYER_ROLE_ARN), ItConfig.role(Demo.ADMIN_ROLE_ARN)));
    }

    @ArquillianResource
    URL base;

    Http.Browser victim;

    @BeforeEach
    void signIn() {
        victim = new Http.Browser();
        HttpResponse<String> landed = victim.signIn(whoami(), AwsDelegationFilterIT.DATABASE_LOGIN);
        assertThat(landed.statusCode()).as("signed in").isEqualTo(200);
    }

    URI whoami() {
        return URI.create(base + "whoami");
    }

    /** The app's own origin as the browser writes it, e.g. {@code http://127.0.0.1:8080}. */
    String ownOrigin() {
        return base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();
    }

    HttpResponse<String> send(String method, URI uri, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType);
        headers.forEach(request::header);
        return victim.send(request.build());
    }

    static Map<String, String> headers(String... nameValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    /** 403 cross_site_request with the reason: a readable page for a browser navigation, JSON for anything else. */
    static void assertRefused(HttpResponse<String> response, String reasonFragment) {
        assertThat(response.statusCode()).isEqualTo(403);
        boolean page = response.headers().firstValue("Content-Type").orElse("").startsWith("text/html");
        assertThat(response.body()).contains(page ? "<code>403 cross_site_request</code>" : "\"error\":\"cross_site_request\"")
                .contains(reasonFragment).doesNotContain("accessKeyId");
    }

    URI adminPets() {
        return URI.create(base + "whoami?aws_role=pet-shop-admin");
    }

    @Test
    @DisplayName("an auto-submitted urlencoded form from another site, asking for the admin role, gets 403")
    void urlencodedForm_crossSite_refused() {
        HttpResponse<String> forged = send("POST", adminPets(), "application/x-www-form-urlencoded", "name=Rex&price=1",
                headers("Origin", EVIL, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate"));

        assertRefused(forged, "Sec-Fetch-Site: cross-site");
        assertThat(forged.body()).contains("request.allowedOrigins").contains("Bearer");
        assertThat(forged.headers().firstValue("Content-Type")).as("the form navigated the browser: it shows a page")
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    }

    @Test
    @DisplayName("a multipart form from another site gets 403")
    void multipartForm_crossSite_refused() {
        HttpResponse<String> forged = send("POST", adminPets(), "multipart/form-data; boundary=x",
                "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nRex\r\n--x--\r\n",
                headers("Origin", EVIL, "Sec-Fetch-Site", "cross-site"));

        assertRefused(forged, "cross-site");
    }

    @Test
    @DisplayName("a text/plain form carrying JSON from another site gets 403")
    void textPlainJson_crossSite_refused() {
        HttpResponse<String> forged = send("POST", adminPets(), "text/plain", "{\"name\":\"Rex\",\"x\":\"=\"}",
                headers("Origin", EVIL, "Sec-Fetch-Site", "cross-site"));

        assertRefused(forged, "cross-site");
    }

    @Test
    @DisplayName("a browser without Fetch Metadata: a foreign Origin gets 403, and so does Origin: null")
    void originOnly_foreign_refused() {
        assertRefused(send("POST", whoami(), "text/plain", "", headers("Origin", EVIL)), "came from origin https://evil.example");
        assertRefused(send("POST", whoami(), "text/plain", "", headers("Origin", "null")), "came from origin null");
    }

    @Test
    @DisplayName("a sibling origin of the same site is another origin: 403 unless listed")
    void sameSite_otherOrigin_refused() {
        assertRefused(send("POST", whoami(), "text/plain", "",
                headers("Origin", "https://blog.127.0.0.1.example", "Sec-Fetch-Site", "same-site")), "same site");
    }

    @Test
    @DisplayName("PUT and DELETE are checked as POST is")
    void putDelete_crossSite_refused() {
        assertRefused(send("PUT", whoami(), "application/json", "{}", headers("Origin", EVIL, "Sec-Fetch-Site", "cross-site")),
                "PUT");
        assertRefused(send("DELETE", whoami(), "application/json", "", headers("Origin", EVIL, "Sec-Fetch-Site", "cross-site")),
                "DELETE");
    }

    @Test
    @DisplayName("with neither Sec-Fetch-Site nor Origin, a foreign or missing Referer gets 403; the app's own passes")
    void noFetchMetadataNoOrigin_decidedByReferer() {
        assertRefused(send("POST", whoami(), "text/plain", "", headers("Referer", EVIL + "/cats.html")), "Referer");
        assertRefused(send("POST", whoami(), "text/plain", "", headers()), "neither Sec-Fetch-Site, Origin nor Referer");

        HttpResponse<String> own = send("POST", whoami(), "text/plain", "", headers("Referer", ownOrigin() + "/shop.html"));
        assertThat(own.statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("the app's own page (fetch, same-origin) may POST with the session, and gets the role it asks for")
    void sameOriginFetch_allowed() {
        HttpResponse<String> fetch = send("POST", adminPets(), "application/json", "{\"name\":\"Rex\"}",
                headers("Origin", ownOrigin(), "Sec-Fetch-Site", "same-origin", "Sec-Fetch-Mode", "cors"));
        HttpResponse<String> olderBrowser = send("POST", whoami(), "application/json", "{}", headers("Origin", ownOrigin()));

        assertThat(fetch.statusCode()).isEqualTo(200);
        assertThat(Http.fields(fetch.body())).containsEntry("role", "pet-shop-admin");
        assertThat(olderBrowser.statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("Sec-Fetch-Site: none (a request the user started, which no page can forge) passes")
    void userInitiated_allowed() {
        assertThat(send("POST", whoami(), "application/x-www-form-urlencoded", "", headers("Sec-Fetch-Site", "none"))
                .statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("an origin listed in request.allowedOrigins may POST with the session")
    void allowedOrigin_allowed() {
        HttpResponse<String> partner = send("POST", whoami(), "application/json", "{}",
                headers("Origin", PARTNER, "Sec-Fetch-Site", "cross-site"));

        assertThat(partner.statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("safe methods with the session are not checked: a cross-site link still opens the page")
    void crossSiteGet_allowed() {
        HttpResponse<String> link = victim.send(HttpRequest.newBuilder(whoami()).header("Sec-Fetch-Site", "cross-site")
                .header("Referer", EVIL + "/").GET().build());

        assertThat(link.statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a bearer-token POST is not a cookie's doing: cross-site headers do not matter")
    void bearerPost_unaffected() {
        String token = ItEnvironment.get().aws.identityProvider().idTokenForDatabaseUser(Demo.ADMIN_USERNAME);
        HttpResponse<String> api = Http.get(whoami(), Map.of());  // warm, no session
        assertThat(api.statusCode()).isEqualTo(401);

        HttpResponse<String> bearer = send("POST", adminPets(), "application/json", "{}",
                headers("Authorization", "Bearer " + token, "Origin", EVIL, "Sec-Fetch-Site", "cross-site"));

        assertThat(bearer.statusCode()).isEqualTo(200);
        assertThat(Http.fields(bearer.body())).containsEntry("role", "pet-shop-admin");
    }
}

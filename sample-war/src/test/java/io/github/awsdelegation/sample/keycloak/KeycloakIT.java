package io.github.awsdelegation.sample.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import io.github.awsdelegation.sample.BrowserSuite;
import io.github.awsdelegation.sample.SampleLauncher;
import io.github.awsdelegation.sample.deploy.ServerProcess;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sample WAR signed in through a real Keycloak: Keycloak ({@code keycloak-quarkus-dist}, unpacked by the build)
 * started once for the class with the realms of {@code src/test/keycloak/import}, the testkit's local AWS started with
 * {@code --trust-issuer=<petshop realm>=pet-shop}, and the sample on embedded Tomcat pointed at Keycloak by variables
 * only. Then tokens straight from Keycloak's token endpoint, and the browser suite
 * {@code src/test/browser/keycloak/petshop-on-keycloak.suite.js} in Chromium. docs/keycloak-tests.md says what each
 * test proves and what it costs (about 5 minutes, most of it Keycloak's start and two ID-token lifetimes).
 *
 * <p>Run it alone: {@code mvn -B -ntp verify -pl sample-war -am -Dit.test=KeycloakIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakIT {

    static final String REALM = "petshop";
    static final String CLIENT_ID = "pet-shop";
    /** The client secret of the realm import: made up for this test, never a real secret. */
    static final String CLIENT_SECRET = "pet-shop-secret";
    /** The realm's accessTokenLifespan (petshop-realm.json): ID tokens live 60 s, so session continuity is testable. */
    static final Duration ID_TOKEN_LIFETIME = Duration.ofSeconds(60);
    /** Keycloak's start, two ID-token lifetimes and the sign-ins fit easily; this bounds a hang. */
    private static final Duration SUITE_TIMEOUT = Duration.ofMinutes(8);

    private static final Path KEYCLOAK_HOME = Path.of(System.getProperty("keycloak.home", "target/keycloak"));
    private static final Path REALMS = Path.of("src/test/keycloak/import");
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY).build();

    private static KeycloakServer keycloak;
    private static SampleLauncher.Running sample;
    private static Map<String, String> providerVariables = Map.of();

    @BeforeAll
    static void startKeycloakAndTheSample() throws Exception {
        int appPort = ServerProcess.freePort();
        URI app = URI.create("http://127.0.0.1:" + appPort + "/");
        keycloak = KeycloakServer.start(KEYCLOAK_HOME, REALMS, app, REALM, Path.of("target/keycloak-it/keycloak.log"));
        URI issuer = keycloak.issuer(REALM);
        providerVariables = providerVariables(issuer);
        sample = SampleLauncher.start(new File("target/sample-war"), appPort, List.of("--trust-issuer=" + issuer + "=" + CLIENT_ID),
                providerVariables);
    }

    /**
     * The variables that point the sample at Keycloak, as docs/sample.md's "Run the sample against Keycloak" sets them:
     * nothing else about the WAR changes.
     */
    static Map<String, String> providerVariables(URI issuer) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("AWS_DELEGATION_ISSUER", issuer.toString());
        variables.put("AWS_DELEGATION_CLIENT_ID", CLIENT_ID);
        variables.put("AWS_DELEGATION_CLIENT_SECRET", CLIENT_SECRET);
        // The connection from Keycloak's identity_provider claim (a User Session Note mapper on the client): "amazon" is
        // social, no claim at all (the realm's own users) is a database connection, anything else (github) is unknown.
        variables.put("AWS_DELEGATION_CONNECTION_CLAIM", "identity_provider");
        variables.put("AWS_DELEGATION_CONNECTION_TYPES", "amazon=social");
        variables.put("AWS_DELEGATION_CONNECTION_ABSENT", "database");
        return variables;
    }

    @AfterAll
    static void stopEverything() {
        try {
            if (sample != null) {
                sample.close();
            }
        } finally {
            // The next IT in this JVM starts the sample against the testkit's own provider: no Keycloak client secret.
            providerVariables.keySet().forEach(System::clearProperty);
            if (keycloak != null) {
                keycloak.close();
            }
        }
    }

    // Relies on the connection mapping: a user without identity_provider is a "database" user.
    @Test
    @Order(1)
    @DisplayName("Keycloak's ID token for a user of the realm, sent as Bearer, gets the admin role (connection database)")
    void keycloakIdToken_asBearer_getsTheAdminRole() throws Exception {
        Map<String, Object> tokens = keycloak.passwordGrant(REALM, CLIENT_ID, CLIENT_SECRET, "admin", "admin-pass");

        HttpResponse<String> me = getMe((String) tokens.get("id_token"));

        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        Map<String, Object> json = JSONObjectUtils.parse(me.body());
        assertThat(json).containsEntry("connectionType", "database").containsEntry("rule", "database-admins");
        assertThat(JSONObjectUtils.getJSONObject(json, "role")).containsEntry("name", "pet-shop-admin");
    }

    // Relies on the filter telling access tokens from ID tokens (Keycloak's typ claim).
    @Test
    @Order(2)
    @DisplayName("Keycloak's access token (typ Bearer, aud pet-shop, signed by the same key) sent as Bearer is refused with 401")
    void keycloakAccessToken_asBearer_isRefusedWith401() throws Exception {
        Map<String, Object> tokens = keycloak.passwordGrant(REALM, CLIENT_ID, CLIENT_SECRET, "admin", "admin-pass");
        String accessToken = (String) tokens.get("access_token");
        SignedJWT jwt = SignedJWT.parse(accessToken);
        assertThat(jwt.getJWTClaimsSet().getAudience()).as("the audience mapper's aud: it looks like an ID token but for typ")
                .contains(CLIENT_ID);
        assertThat(jwt.getJWTClaimsSet().getStringClaim("typ")).isEqualTo("Bearer");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isAfter(Instant.now());

        HttpResponse<String> me = getMe(accessToken);

        assertThat(me.statusCode()).as(me.body()).isEqualTo(401);
        assertThat(me.body()).doesNotContain(accessToken).doesNotContain("pet-shop-admin");
    }

    // Each browser test says beside it which behaviour of the filter it relies on.
    @Test
    @Order(3)
    @DisplayName("in Chromium through Keycloak: the realm user is admin, the amazon user buyer, the github user refused (403); "
            + "a key rotation needs no restart; a session outlives two ID tokens; sign-out asks nothing")
    void petShop_inChromium_throughKeycloak() throws Exception {
        BrowserSuite.requireChromiumAndDependencies();

        int exitCode = BrowserSuite.run(sample.url().toString(), List.of("keycloak/petshop-on-keycloak.suite.js"), Map.of(
                "KEYCLOAK_URL", keycloak.url().toString(),
                "KEYCLOAK_ADMIN_PASSWORD", keycloak.adminPassword(),
                "ID_TOKEN_LIFETIME_SECONDS", String.valueOf(ID_TOKEN_LIFETIME.toSeconds())), SUITE_TIMEOUT);

        assertThat(exitCode).as("node --test exit code; the suite's report is above, screenshots in " + BrowserSuite.SCREENSHOTS
                + ", Keycloak's log in " + keycloak.log()).isZero();
    }

    private HttpResponse<String> getMe(String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(sample.url().resolve("api/me")).header("Accept", "application/json")
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }
}

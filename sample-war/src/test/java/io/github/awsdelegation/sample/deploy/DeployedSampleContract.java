package io.github.awsdelegation.sample.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.sample.HttpUser;
import io.github.awsdelegation.sample.SampleEnvironment;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * What a user sees after deploying {@code target/sample-war.war}, unchanged, to a server distribution and
 * starting it with the sample's variables as {@code -D} options (docs/sample.md, "Deploying the WAR to Tomcat and
 * WildFly"). One subclass per server; each starts the local IdP, STS, S3 and pets API ({@link SampleEnvironment}),
 * deploys the WAR at context {@code /sample-war}, and the same specification runs against it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeployedSampleContract {

    /** The WAR the build made, exactly as a user gets it. */
    static final Path WAR = Path.of(System.getProperty("deploy.war", "target/sample-war.war")).toAbsolutePath();
    /** Where the tests write the servers' bases, logs and the SAML keystore. */
    static final Path WORK = Path.of(System.getProperty("deploy.work", "target/deploy-its")).toAbsolutePath();
    /** The context the WAR's file name gives it on both servers. */
    static final String CONTEXT = "sample-war";

    private static final String ADMIN_SUBJECT = LocalIdentityProvider.databaseUserSubject(Demo.ADMIN_USERNAME);

    private final HttpClient anonymous = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private SampleEnvironment environment;
    private ServerProcess server;
    private URI app;

    @RegisterExtension
    final TestWatcher serverLogOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (server != null) {
                System.err.println("--- " + context.getDisplayName() + " failed; last lines of " + server.log() + " ---");
                System.err.println(server.logTail(80));
            }
        }
    };

    /**
     * Starts the server with {@link #WAR} deployed as {@code sample-war.war}, every variable a {@code -D} system
     * property but the secrets ({@link #isSecret}), which go into the server's environment, and returns once the WAR
     * is deployed.
     *
     * @param variables the sample's configuration variables
     * @param work an empty directory of this server's own
     */
    abstract Deployment deploy(Map<String, String> variables, Path work) throws Exception;

    /** A started server and the deployed app's base URL (ending in {@code /}). */
    record Deployment(ServerProcess server, URI app) {
    }

    @BeforeAll
    void deployTheWar() throws Exception {
        assertThat(WAR).as("the WAR the build made").isRegularFile();
        Path work = WORK.resolve(getClass().getSimpleName());
        deleteRecursively(work);
        Files.createDirectories(work);
        environment = SampleEnvironment.start(work);
        Deployment deployment = deploy(environment.variables(), work);
        server = deployment.server();
        app = deployment.app();
        environment.trustApp(app);
    }

    @AfterAll
    void stopEverything() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (environment != null) {
                environment.close();
            }
        }
    }

    @Test
    @DisplayName("the secrets, set as environment variables as docs/sample.md advises, reach the app but not the server's log")
    void secrets_fromTheEnvironment_stayOutOfTheLog() {
        String password = environment.variables().get("PET_SHOP_SAML_KEYSTORE_PASSWORD");

        // The app signs with the keystore the password opens: its metadata is served.
        assertThat(anonymous(HttpRequest.newBuilder(app.resolve("saml/metadata"))).statusCode()).isEqualTo(200);
        assertThat(server.logText()).isNotEmpty().doesNotContain(password);
    }

    @Test
    @DisplayName("README's public prefix /static/*: no spelling of a climb out of it reaches the API (this server's path normalisation)")
    void publicPrefix_climbingOut_neverReachesTheApi() {
        io.github.awsdelegation.sample.SampleHardening.publicPrefix_climbingOut_neverReachesTheApi(app);
    }

    @Test
    @DisplayName("a real 15,000-character ID token reaches the filter and the app: the header limit fits the filter's")
    void largeToken_reachesTheApp() throws Exception {
        io.github.awsdelegation.sample.SampleHardening.largeToken_reachesTheApp(app, environment.aws().identityProvider());
    }

    @Test
    @DisplayName("headers over the server's limit get a short 4xx, without a stack trace or the server's version")
    void oversizedHeader_shortAnswer() {
        io.github.awsdelegation.sample.SampleHardening.oversizedHeader_shortAnswer(app);
    }

    @Test
    @DisplayName("the session cookie is HttpOnly and SameSite=Lax, and no page may be framed")
    void sessionCookieAndFraming() throws Exception {
        io.github.awsdelegation.sample.SampleHardening.sessionCookieAndFraming(app);
    }

    @Test
    @DisplayName("forms another site auto-submits with the admin's session (urlencoded, text/plain JSON, a bodiless purchase) get 403")
    void forgedFormPost_refused() {
        io.github.awsdelegation.sample.SampleHardening.forgedFormPost_refused(HttpUser.admin(app));
    }

    @Test
    @DisplayName("the home page is public: 200 and the shop's name, without signing in")
    void homePage_withoutSession_isPublic() {
        HttpResponse<String> home = anonymous(HttpRequest.newBuilder(app));

        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("Pet shop");
    }

    @Test
    @DisplayName("a browser without a session that opens the shop is sent to the IdP's login page, to come back to this context")
    void shop_withoutSession_redirectsToIdentityProvider() {
        HttpResponse<String> shop = anonymous(HttpRequest.newBuilder(app.resolve("shop.html")).header("Accept", "text/html"));

        assertThat(shop.statusCode()).isEqualTo(302);
        String location = shop.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(environment.variables().get("AWS_DELEGATION_ISSUER"))
                .contains("/authorize?")
                .contains("redirect_uri=" + URLEncoder.encode(app.toString(), StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("the admin signs in with a password: role pet-shop-admin, by rule database-admins")
    void admin_signsIn_getsAdminRole() {
        HttpUser admin = HttpUser.admin(app);

        Map<String, Object> me = json(admin.get("api/me"), 200);

        assertThat(me.get("email")).isEqualTo(Demo.ADMIN_EMAIL);
        assertThat(me.get("subject")).isEqualTo(ADMIN_SUBJECT);
        assertThat(object(me, "role").get("name")).isEqualTo("pet-shop-admin");
        assertThat(me.get("rule")).isEqualTo("database-admins");
        assertThat(me.get("canManage")).isEqualTo(true);
        assertThat(array(me, "permittedRoles")).extracting(role -> role.get("name"))
                .containsExactlyInAnyOrder("pet-shop-admin", "pet-shop-buyer", "pet-shop-console");
        assertThat(me).containsKeys("connection", "connectionType", "reason", "assumedRoleArn", "expiresAt", "canBuy",
                "bucket", "folder");
    }

    @Test
    @DisplayName("/admin/metrics: the module's metrics in Prometheus format, on this server too (its Micrometer in the WAR)")
    void adminMetrics_prometheusFormat() {
        HttpUser admin = HttpUser.admin(app);
        assertThat(admin.get("api/me").statusCode()).isEqualTo(200);

        java.net.http.HttpResponse<String> metrics = admin.exchange(java.net.http.HttpRequest.newBuilder(
                app.resolve("admin/metrics")).header("X-Forwarded-For", "203.0.113.9"));

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("aws_delegation_decisions_total{", "aws_delegation_sts_calls_seconds_count{");
    }

    @Test
    @DisplayName("the admin lists the demo pets, adds one and removes it again")
    void admin_listsAddsAndRemovesPets() {
        HttpUser admin = HttpUser.admin(app);

        assertThat(petTypes(admin)).contains("dog", "cat", "fish");

        Map<String, Object> added = json(admin.send("POST", "api/pets", "application/json",
                "{\"type\":\"hamster\",\"price\":12.5}"), 201);
        assertThat(added.get("type")).isEqualTo("hamster");
        String id = String.valueOf(added.get("id"));
        assertThat(petIds(admin)).contains(id);

        HttpResponse<String> removed = admin.send("DELETE", "api/pets/" + id, null, null);
        assertThat(removed.statusCode()).as("DELETE api/pets/%s: %s", id, removed.body()).isEqualTo(204);
        assertThat(petIds(admin)).doesNotContain(id);
    }

    @Test
    @DisplayName("the buyer continues with Amazon, buys a pet, and AWS denies adding one")
    void buyer_buysPet_butIsDeniedAddingOne() {
        HttpUser buyer = HttpUser.buyer(app);
        assertThat(object(json(buyer.get("api/me"), 200), "role").get("name")).isEqualTo("pet-shop-buyer");
        String id = petIds(buyer).get(0);

        Map<String, Object> bought = json(buyer.send("POST", "api/pets/" + id + "/purchase", null, null), 200);
        assertThat(String.valueOf(bought.get("id"))).isEqualTo(id);
        assertThat(bought.get("owner")).isNotNull().asString().isNotBlank();

        Map<String, Object> denied = json(buyer.send("POST", "api/pets", "application/json",
                "{\"type\":\"cat\",\"price\":12.5}"), 403);
        assertThat(denied.get("error")).isEqualTo("AccessDenied");
        assertThat(denied.get("service")).isEqualTo("execute-api");
        assertThat((String) denied.get("message")).contains("denied");
    }

    @Test
    @DisplayName("the buyer uploads a file to their folder, lists it, downloads the same bytes and deletes it")
    void buyer_keepsFilesInOwnFolder() {
        HttpUser buyer = HttpUser.buyer(app);
        String subject = (String) json(buyer.get("api/me"), 200).get("subject");
        String name = "receipt-" + getClass().getSimpleName() + ".bin";
        byte[] content = new byte[3000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + 7);
        }

        HttpResponse<String> uploaded = buyer.exchange(HttpRequest.newBuilder(app.resolve("api/files/" + name))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        assertThat(uploaded.statusCode()).as("PUT api/files/%s: %s", name, uploaded.body()).isEqualTo(201);

        Map<String, Object> listing = json(buyer.get("api/files"), 200);
        assertThat((String) listing.get("folder")).contains(subject);
        assertThat(files(listing)).anySatisfy(file -> {
            assertThat(file.get("name")).isEqualTo(name);
            assertThat(((Number) file.get("size")).longValue()).isEqualTo(content.length);
        });

        HttpResponse<byte[]> downloaded = buyer.exchange(HttpRequest.newBuilder(app.resolve("api/files/" + name)),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.body()).isEqualTo(content);
        assertThat(downloaded.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                disposition -> assertThat(disposition).startsWith("attachment"));

        HttpResponse<String> deleted = buyer.send("DELETE", "api/files/" + name, null, null);
        assertThat(deleted.statusCode()).as("DELETE api/files/%s: %s", name, deleted.body()).isEqualTo(204);
        assertThat(files(json(buyer.get("api/files"), 200))).noneSatisfy(file -> assertThat(file.get("name")).isEqualTo(name));
    }

    @Test
    @DisplayName("the buyer may open their own folder, but opening the admin's is denied by the session policy")
    void buyer_opensAdminFolder_isDenied() {
        HttpUser buyer = HttpUser.buyer(app);
        String own = (String) json(buyer.get("api/me"), 200).get("subject");

        json(buyer.get("api/folders/" + pathSegment(own)), 200);
        Map<String, Object> denied = json(buyer.get("api/folders/" + pathSegment(ADMIN_SUBJECT)), 403);

        assertThat(denied.get("service")).isEqualTo("s3");
        assertThat((String) denied.get("message")).contains("denied");
    }

    // ---- helpers: JSON answers as maps, read the way the page's script reads them

    private HttpResponse<String> anonymous(HttpRequest.Builder request) {
        try {
            return anonymous.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JSON object of an answer that must have the given status and a JSON body. */
    static Map<String, Object> json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("%s %s answered: %s", response.request().method(), response.uri(), response.body())
                .isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as("Content-Type of %s", response.uri())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        try {
            return JSONObjectUtils.parse(response.body());
        } catch (ParseException e) {
            throw new AssertionError("not a JSON object from " + response.uri() + ": " + response.body(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> json, String key) {
        return (Map<String, Object>) Optional.ofNullable(json.get(key))
                .orElseThrow(() -> new AssertionError("no \"" + key + "\" in " + json));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> array(Map<String, Object> json, String key) {
        return (List<Map<String, Object>>) Optional.ofNullable(json.get(key))
                .orElseThrow(() -> new AssertionError("no \"" + key + "\" in " + json));
    }

    private static List<Map<String, Object>> pets(HttpUser user) {
        return array(json(user.get("api/pets"), 200), "pets");
    }

    private static List<String> petTypes(HttpUser user) {
        return pets(user).stream().map(pet -> String.valueOf(pet.get("type"))).toList();
    }

    private static List<String> petIds(HttpUser user) {
        return pets(user).stream().map(pet -> String.valueOf(pet.get("id"))).toList();
    }

    private static List<Map<String, Object>> files(Map<String, Object> listing) {
        return array(listing, "files");
    }

    private static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static void copyDirectory(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Whether a variable holds a secret, which the servers get from the environment rather than as a -D option. */
    static boolean isSecret(String variable) {
        return variable.contains("PASSWORD") || variable.contains("SECRET");
    }

    static void deleteRecursively(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}

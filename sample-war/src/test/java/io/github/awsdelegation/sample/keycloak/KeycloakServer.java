package io.github.awsdelegation.sample.keycloak;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.sample.deploy.ServerProcess;
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
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Keycloak ({@code org.keycloak:keycloak-quarkus-dist}, unpacked by the build) run by its own start script in
 * development mode on 127.0.0.1: free HTTP and management ports, an in-memory database, and the realms of
 * {@code src/test/keycloak/import} imported at start ({@code --import-realm}), their {@code @KEYCLOAK_URL@} and
 * {@code @APP_URL@} filled in. Start-up takes one to two minutes on two busy cores; {@link #close()} (or, if the test
 * JVM dies first, a shutdown hook, else coreutils' {@code timeout}) stops it.
 */
public final class KeycloakServer implements AutoCloseable {

    /** How long start-up may take: the first start also builds Keycloak's optimised image (about a minute). */
    static final Duration START_TIMEOUT = Duration.ofMinutes(6);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY).build();

    private final ServerProcess process;
    private final URI url;
    private final String adminPassword;

    private KeycloakServer(ServerProcess process, URI url, String adminPassword) {
        this.process = process;
        this.url = url;
        this.adminPassword = adminPassword;
    }

    /**
     * Starts Keycloak and waits until the realm {@code readyRealm} serves its discovery document.
     *
     * @param home        the unpacked distribution ({@code bin/kc.sh})
     * @param realms      the realm files to import ({@code *.json}), with placeholders {@code @KEYCLOAK_URL@} (no trailing
     *                    slash) and {@code @APP_URL@} (ending in {@code /})
     * @param app         the app's base URL, for redirect URIs
     * @param readyRealm  the realm whose discovery document says that Keycloak is up and the import done
     * @param log         where Keycloak's console output goes
     */
    public static KeycloakServer start(Path home, Path realms, URI app, String readyRealm, Path log) {
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak distribution at " + home + ": mvn verify unpacks "
                    + "org.keycloak:keycloak-quarkus-dist there during pre-integration-test");
        }
        int httpPort = ServerProcess.freePort();
        int managementPort = ServerProcess.freePort();
        URI url = URI.create("http://127.0.0.1:" + httpPort);
        writeImport(home.resolve("data/import"), realms, url, app);
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String adminPassword = HexFormat.of().formatHex(secret);
        List<String> command = List.of("/bin/bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + httpPort, "--http-management-port=" + managementPort,
                "--db=dev-mem", "--import-realm");
        // The master realm's administrator, for the admin REST API (key rotation); a password made for this run.
        // C1 only, as the WildFly tests do: a test server lives for minutes and starts faster so.
        Map<String, String> environment = Map.of("KC_BOOTSTRAP_ADMIN_USERNAME", "admin", "KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword,
                "JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
        ServerProcess process = ServerProcess.start("Keycloak", command, home, environment, log);
        KeycloakServer server = new KeycloakServer(process, url, adminPassword);
        try {
            URI discovery = server.discoveryUri(readyRealm);
            process.awaitReady("serving realm " + readyRealm, START_TIMEOUT, () -> {
                try {
                    return HTTP.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYetListening) {
                    return false;
                }
            });
            return server;
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
    }

    private static void writeImport(Path importDirectory, Path realms, URI url, URI app) {
        try {
            if (Files.isDirectory(importDirectory)) {
                try (Stream<Path> old = Files.list(importDirectory)) {
                    for (Path file : old.collect(Collectors.toList())) {
                        Files.delete(file);
                    }
                }
            }
            Files.createDirectories(importDirectory);
            try (Stream<Path> files = Files.list(realms)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).collect(Collectors.toList())) {
                    String realm = Files.readString(file, StandardCharsets.UTF_8).replace("@KEYCLOAK_URL@", url.toString())
                            .replace("@APP_URL@", app.toString());
                    Files.writeString(importDirectory.resolve(file.getFileName()), realm, StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write Keycloak's realm import into " + importDirectory, e);
        }
    }

    /** Keycloak's base URL, {@code http://127.0.0.1:<port>} (no trailing slash). */
    public URI url() {
        return url;
    }

    /** The issuer of a realm, {@code http://127.0.0.1:<port>/realms/<realm>}, as its tokens' {@code iss}. */
    public URI issuer(String realm) {
        return URI.create(url + "/realms/" + realm);
    }

    /** The realm's discovery document. */
    public URI discoveryUri(String realm) {
        return URI.create(issuer(realm) + "/.well-known/openid-configuration");
    }

    /** The master realm administrator's password, made for this run (for the browser suite's admin REST calls). */
    public String adminPassword() {
        return adminPassword;
    }

    /** The file Keycloak's console output goes to. */
    public Path log() {
        return process.log();
    }

    /**
     * Asks the realm's token endpoint for tokens with the resource owner password grant ({@code scope=openid}), as a
     * script or a native app would: the ID token, the access token and the refresh token, as Keycloak answers them.
     *
     * @throws IllegalStateException when Keycloak refuses (its error code, never a token)
     */
    public Map<String, Object> passwordGrant(String realm, String clientId, String clientSecret, String username, String password) {
        HttpResponse<String> response = post(URI.create(issuer(realm) + "/protocol/openid-connect/token"), Map.of(
                "grant_type", "password", "client_id", clientId, "client_secret", clientSecret, "username", username,
                "password", password, "scope", "openid"));
        Map<String, Object> json = json(response.body());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused the password grant for " + username + ": " + response.statusCode()
                    + " " + json.get("error") + " " + json.get("error_description"));
        }
        return json;
    }

    private static HttpResponse<String> post(URI uri, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not reach Keycloak at " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> json(String body) {
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw new IllegalStateException("Keycloak answered something other than a JSON object (" + body.length() + " characters)");
        }
    }

    /** Stops Keycloak and every process its script started. */
    @Override
    public void close() {
        process.close();
    }
}

package io.github.awsdelegation.testkit;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Configures and starts a {@link LocalIdentityProvider}. When no client is registered, the {@link Demo}
 * client ({@code pet-shop}, public, any loopback redirect) is; when no user is, the demo database user and
 * the demo social user are.
 */
public final class LocalIdentityProviderBuilder {

    // Package-private: LocalIdentityProvider's constructor reads the settings.
    final Map<String, RegisteredClient> clients = new LinkedHashMap<>();
    final Map<String, UserAccount> databaseUsers = new LinkedHashMap<>();
    final Map<String, UserAccount> socialUsers = new LinkedHashMap<>();
    Boolean allowAnyLoopbackRedirect;
    int port;
    Clock clock = Clock.systemUTC();
    Duration idTokenLifetime = LocalIdentityProvider.DEFAULT_ID_TOKEN_LIFETIME;
    Duration refreshTokenLifetime = LocalIdentityProvider.DEFAULT_REFRESH_TOKEN_LIFETIME;
    String groupsClaim = LocalIdentityProvider.DEFAULT_GROUPS_CLAIM;

    LocalIdentityProviderBuilder() {
    }

    /**
     * Registers an OAuth client.
     *
     * @param clientId the client id, also the ID token audience
     * @param clientSecretOrNull the secret of a confidential client, or null for a public client (which must
     *     use PKCE)
     * @param redirectUris the exact redirect URIs allowed (absolute, without fragment)
     * @throws IllegalArgumentException naming the offending value
     */
    public LocalIdentityProviderBuilder client(String clientId, String clientSecretOrNull, List<URI> redirectUris) {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("LocalIdentityProvider client: clientId must not be blank");
        }
        if (clients.containsKey(clientId)) {
            throw new IllegalArgumentException("LocalIdentityProvider client: '" + clientId + "' is already registered");
        }
        if (clientSecretOrNull != null && clientSecretOrNull.isEmpty()) {
            throw new IllegalArgumentException("LocalIdentityProvider client '" + clientId
                    + "': the secret must not be empty (use null for a public client)");
        }
        for (URI uri : Objects.requireNonNull(redirectUris, "redirectUris")) {
            if (!uri.isAbsolute() || uri.getFragment() != null) {
                throw new IllegalArgumentException("LocalIdentityProvider client '" + clientId
                        + "': redirect URI must be absolute and without fragment: " + uri);
            }
        }
        clients.put(clientId, new RegisteredClient(clientId, clientSecretOrNull, List.copyOf(redirectUris)));
        return this;
    }

    /**
     * Lets every registered client redirect to any {@code http://127.0.0.1:<port>/...} or
     * {@code http://localhost:<port>/...} URI (RFC 8252 §7.3). By default off when clients are registered,
     * on for the default demo client.
     */
    public LocalIdentityProviderBuilder allowAnyLoopbackRedirect(boolean allow) {
        this.allowAnyLoopbackRedirect = allow;
        return this;
    }

    /**
     * Adds a database user (connection "Username-Password-Authentication") with subject
     * {@link LocalIdentityProvider#databaseUserSubject(String) auth0|&lt;id&gt;}. The username is matched case-insensitively.
     */
    public LocalIdentityProviderBuilder databaseUser(String username, String password, String email, List<String> groups) {
        require(username, "databaseUser username");
        require(password, "databaseUser password");
        require(email, "databaseUser email");
        String key = username.toLowerCase(Locale.ROOT);
        if (databaseUsers.containsKey(key)) {
            throw new IllegalArgumentException("LocalIdentityProvider: database user '" + username + "' already added");
        }
        databaseUsers.put(key, LocalIdentityProvider.databaseAccount(username, password, email, Objects.requireNonNull(groups, "groups")));
        return this;
    }

    /** Adds a "Continue with Amazon" user with subject {@code amazon|<id>}. */
    public LocalIdentityProviderBuilder socialUser(String id, String email) {
        require(id, "socialUser id");
        require(email, "socialUser email");
        if (socialUsers.containsKey(id)) {
            throw new IllegalArgumentException("LocalIdentityProvider: social user '" + id + "' already added");
        }
        socialUsers.put(id, LocalIdentityProvider.socialAccount(id, email));
        return this;
    }

    /** Sets the port; 0 (the default) picks a free one. */
    public LocalIdentityProviderBuilder port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("LocalIdentityProvider port must be 0-65535, got " + port);
        }
        this.port = port;
        return this;
    }

    /** Sets the clock for token times and code expiry. By default, the system UTC clock. */
    public LocalIdentityProviderBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Sets the ID token lifetime. By default, 10 hours (Auth0's default). */
    public LocalIdentityProviderBuilder idTokenLifetime(Duration lifetime) {
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("LocalIdentityProvider idTokenLifetime must be positive, got " + lifetime);
        }
        this.idTokenLifetime = lifetime;
        return this;
    }

    /**
     * Sets the lifetime of refresh tokens. By default, 30 days. With a short ID token lifetime (Keycloak's is 5
     * minutes) this lets a test see a relying party renew the ID token, and lose its session when the refresh token
     * expires.
     */
    public LocalIdentityProviderBuilder refreshTokenLifetime(Duration lifetime) {
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("LocalIdentityProvider refreshTokenLifetime must be positive, got " + lifetime);
        }
        this.refreshTokenLifetime = lifetime;
        return this;
    }

    /** Sets the name of the claim listing a database user's groups. By default, {@code groups}. */
    public LocalIdentityProviderBuilder groupsClaim(String claimName) {
        require(claimName, "groupsClaim");
        this.groupsClaim = claimName;
        return this;
    }

    /** Starts the provider on 127.0.0.1. */
    public LocalIdentityProvider start() {
        return new LocalIdentityProvider(this);
    }

    private static void require(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("LocalIdentityProvider " + key + " must not be blank");
        }
    }
}

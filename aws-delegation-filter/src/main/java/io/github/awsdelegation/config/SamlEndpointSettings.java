package io.github.awsdelegation.config;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP endpoints of SAML delegation: IdP metadata, console sign-in, role listing and the Auth0-compatible
 * {@code /delegation}. A path of {@code null} means the endpoint is off.
 *
 * @param metadataPath   where the IdP metadata is served (public), or {@code null}
 * @param consolePath    where a signed-in user starts console sign-in, or {@code null}
 * @param rolesPath      where a signed-in user lists the roles the rules permit, or {@code null}
 * @param cliPath        where the command-line client fetches a signed SAML response for a signed-in user, delivered
 *                       to its loopback callback after the user confirms, or {@code null} (the default: off)
 * @param roleChooser    who lets a user with several roles choose one for the console
 * @param relayState     the console page to open after sign-in ({@code RelayState}), or {@code null} for the
 *                       console's home
 * @param baseUrl        the app's absolute URL (context root) for the metadata's single sign-on location when it
 *                       sits behind a proxy, or {@code null} to derive it from the request
 * @param accountAliases account ids to the aliases shown in role listings and profile names
 * @param delegation     the Auth0-compatible delegation endpoint, or {@code null} when off (the default)
 */
public record SamlEndpointSettings(String metadataPath, String consolePath, String rolesPath, String cliPath, RoleChooser roleChooser,
        URI relayState, URI baseUrl, Map<String, String> accountAliases, Delegation delegation) {

    /** By default, the metadata is served at {@value}. */
    public static final String DEFAULT_METADATA_PATH = "/saml/metadata";

    /** By default, console sign-in starts at {@value}. */
    public static final String DEFAULT_CONSOLE_PATH = "/saml/console";

    /** By default, roles are listed at {@value}. */
    public static final String DEFAULT_ROLES_PATH = "/saml/roles";

    /** The command-line client's endpoint, when turned on without a path ({@code endpoints.cli: on}), is at {@value}. */
    public static final String DEFAULT_CLI_PATH = "/saml/cli";

    /** By default, the delegation endpoint (when turned on) is at {@value}, as Auth0's was. */
    public static final String DEFAULT_DELEGATION_PATH = "/delegation";

    public SamlEndpointSettings {
        Objects.requireNonNull(roleChooser, "roleChooser");
        accountAliases = Map.copyOf(accountAliases);
    }

    /**
     * Returns the defaults: metadata, console sign-in and the role listing on at their default paths; the command-line
     * client's endpoint and {@code /delegation} off (each hands a bearer credential to something other than AWS's
     * sign-in page, so each is opt-in).
     */
    public static SamlEndpointSettings defaults() {
        return new SamlEndpointSettings(DEFAULT_METADATA_PATH, DEFAULT_CONSOLE_PATH, DEFAULT_ROLES_PATH, null, RoleChooser.APP,
                null, null, Map.of(), null);
    }

    /** Returns the alias of an account, when one is configured. */
    public Optional<String> accountAlias(String accountId) {
        return Optional.ofNullable(accountAliases.get(accountId));
    }

    /** Who offers the choice when a user may sign in to the console with several roles. */
    public enum RoleChooser {
        /** This app shows a page with the roles; the assertion then names the chosen role only. */
        APP,
        /** The assertion names every permitted role and AWS's sign-in page asks. */
        AWS
    }

    /**
     * The Auth0-compatible {@code POST /delegation} endpoint: it trades an ID token for credentials and answers
     * in the shape of Auth0's delegation endpoint, so auth0.js v7 {@code getDelegationToken} works against it.
     * It returns credentials to the API client by design, so it is off unless configured.
     *
     * @param path           where it is served
     * @param clientIds      the {@code client_id} values accepted; empty means the configured {@code oidc.clientId}
     * @param allowedOrigins browser origins allowed to call it cross-origin (CORS); empty means same-origin only
     * @param rateLimit      requests per minute allowed for one user, and for one client IP address, as Auth0 allowed;
     *                       0 turns the limit off
     */
    public record Delegation(String path, Set<String> clientIds, List<String> allowedOrigins, int rateLimit) {

        /** By default, {@value} requests per minute for each user and for each client IP address. */
        public static final int DEFAULT_RATE_LIMIT = 10;

        public Delegation {
            Objects.requireNonNull(path, "path");
            clientIds = Set.copyOf(clientIds);
            allowedOrigins = List.copyOf(allowedOrigins);
            if (rateLimit < 0) {
                throw new IllegalArgumentException("rateLimit must not be negative");
            }
        }

        /** Creates the settings with the default rate limit. */
        public Delegation(String path, Set<String> clientIds, List<String> allowedOrigins) {
            this(path, clientIds, allowedOrigins, DEFAULT_RATE_LIMIT);
        }
    }
}

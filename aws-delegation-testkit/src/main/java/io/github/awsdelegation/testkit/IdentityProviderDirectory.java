package io.github.awsdelegation.testkit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use a {@link LocalIdentityProvider}: its OAuth clients (by default the {@link Demo} client, public, any
 * loopback redirect) and its users (by default the demo database user and the demo social user), and the login page
 * that offers them.
 */
final class IdentityProviderDirectory {

    private final Map<String, RegisteredClient> clients;
    private final List<String> clientIds;
    private final boolean anyLoopbackRedirect;
    private final List<UserAccount> databaseUsers;
    private final List<UserAccount> socialUsers;
    // Only the Demo users (none configured): the login page may then show them, passwords included.
    private final boolean demoUsers;

    /**
     * @throws IllegalStateException when a client has no redirect URIs and any loopback redirect is not allowed
     */
    IdentityProviderDirectory(Map<String, RegisteredClient> configuredClients, Boolean allowAnyLoopbackRedirect,
            Collection<UserAccount> configuredDatabaseUsers, Collection<UserAccount> configuredSocialUsers) {
        Map<String, RegisteredClient> registered = new LinkedHashMap<>(configuredClients);
        boolean anyLoopback = allowAnyLoopbackRedirect != null && allowAnyLoopbackRedirect;
        if (registered.isEmpty()) {
            registered.put(Demo.CLIENT_ID, new RegisteredClient(Demo.CLIENT_ID, null, List.of()));
            anyLoopback = allowAnyLoopbackRedirect == null || allowAnyLoopbackRedirect;
        }
        for (RegisteredClient client : registered.values()) {
            if (client.redirectUris().isEmpty() && !anyLoopback) {
                throw new IllegalStateException("LocalIdentityProvider: client '" + client.clientId()
                        + "' has no redirect URIs; register some or call allowAnyLoopbackRedirect(true)");
            }
        }
        this.clients = Map.copyOf(registered);
        this.clientIds = List.copyOf(registered.keySet());
        this.anyLoopbackRedirect = anyLoopback;
        List<UserAccount> database = new ArrayList<>(configuredDatabaseUsers);
        List<UserAccount> social = new ArrayList<>(configuredSocialUsers);
        this.demoUsers = database.isEmpty() && social.isEmpty();
        if (demoUsers) {
            database.add(LocalIdentityProvider.databaseAccount(Demo.ADMIN_USERNAME, Demo.ADMIN_PASSWORD, Demo.ADMIN_EMAIL,
                    Demo.ADMIN_GROUPS));
            social.add(LocalIdentityProvider.socialAccount(Demo.BUYER_AMAZON_ID, Demo.BUYER_EMAIL));
        }
        this.databaseUsers = List.copyOf(database);
        this.socialUsers = List.copyOf(social);
    }

    /** Returns the client ids in registration order. */
    List<String> clientIds() {
        return clientIds;
    }

    Optional<RegisteredClient> client(String clientId) {
        return Optional.ofNullable(clientId == null ? null : clients.get(clientId));
    }

    /** Returns whether every client may redirect to any loopback URI (RFC 8252 §7.3). */
    boolean anyLoopbackRedirect() {
        return anyLoopbackRedirect;
    }

    /** Returns the social user the login page's button signs in when none is named: the first one. */
    Optional<UserAccount> firstSocialUser() {
        return socialUsers.stream().findFirst();
    }

    Optional<UserAccount> findDatabaseUser(String username) {
        return databaseUsers.stream().filter(u -> u.loginName().equalsIgnoreCase(username == null ? "" : username.trim()))
                .findFirst();
    }

    Optional<UserAccount> findSocialUser(String id) {
        return socialUsers.stream().filter(u -> u.loginName().equals(id)).findFirst();
    }

    /** Returns the login page of one authorization request, with an error and the username typed, or nulls. */
    String loginPage(String transactionId, String clientId, String error, String username) {
        return LoginPage.login(transactionId, clientId, socialUsers, !databaseUsers.isEmpty(), demoUsers, error, username);
    }
}

package io.github.awsdelegation.token;

import io.github.awsdelegation.token.internal.Auth0ConnectionResolver;
import io.github.awsdelegation.token.internal.ClaimConnectionResolver;
import java.util.Map;
import java.util.Objects;

/**
 * Tells which connection (identity source) a verified user signed in through, so that role rules can
 * tell social users from database or enterprise users.
 *
 * <p>OpenID Connect has no standard claim for this. Auth0 encodes it in the {@code sub} prefix
 * ({@code google-oauth2|1234}); Keycloak ({@code identity_provider}), Okta ({@code idp}) and Amazon
 * Cognito ({@code identities}) put it in a claim. {@link #auth0()} and {@link #fromClaim} cover these;
 * any other rule can be a lambda.
 *
 * <p>Implementations must be thread-safe and fast: {@link IdTokenValidator} calls them once per newly
 * validated token, with claims whose signature has already been checked.
 */
@FunctionalInterface
public interface ConnectionResolver {

    /**
     * The sign-in connection of a user.
     *
     * @param type the kind of connection; never {@code null}
     * @param name the connection's name, e.g. {@code google-oauth2}; the empty string when unknown
     */
    record Connection(ConnectionType type, String name) {

        /** An unknown connection with no name: what resolvers answer when the token does not say. */
        public static final Connection UNKNOWN = new Connection(ConnectionType.UNKNOWN, "");

        /**
         * Creates a connection.
         *
         * @throws NullPointerException when {@code type} is {@code null}
         */
        public Connection {
            Objects.requireNonNull(type, "type");
            name = name == null ? "" : name;
        }
    }

    /**
     * The Auth0 {@code sub} prefixes (the part before the first {@code |}) and the connection types they
     * stand for, as {@link #auth0()} uses them: {@code auth0} database; {@code google-oauth2},
     * {@code amazon}, {@code facebook}, {@code github}, {@code twitter}, {@code linkedin},
     * {@code windowslive}, {@code apple} social; {@code samlp}, {@code waad}, {@code adfs}, {@code ad},
     * {@code oidc}, {@code google-apps} enterprise; {@code email}, {@code sms} passwordless.
     */
    Map<String, ConnectionType> AUTH0_SUB_PREFIXES = Auth0ConnectionResolver.DEFAULT_PREFIXES;

    /**
     * Returns the connection of a user whose ID token passed every check.
     *
     * @param subject the {@code sub} claim, never blank
     * @param claims  all claims of the token, as plain Java values (maps, lists, strings, numbers,
     *                booleans), unmodifiable
     * @return the connection; {@code null} is taken as {@link Connection#UNKNOWN}
     */
    Connection resolve(String subject, Map<String, Object> claims);

    /**
     * Returns a resolver for Auth0 that reads the connection type from the {@code sub} prefix
     * ({@link #AUTH0_SUB_PREFIXES}) and uses the prefix as the connection name. A prefix it does not know
     * gives {@link ConnectionType#UNKNOWN}, which no default role rule matches.
     */
    static ConnectionResolver auth0() {
        return new Auth0ConnectionResolver(Map.of(), null);
    }

    /**
     * Returns a resolver for Auth0 like {@link #auth0()}, except that the connection name is taken from
     * {@code connectionNameClaim} when the token carries it as a non-blank string. Auth0 does not put the
     * connection name in ID tokens by itself; a post-login Action can add it
     * ({@code api.idToken.setCustomClaim("https://example.com/connection", event.connection.name)}).
     *
     * @param connectionNameClaim the claim naming the connection, e.g. {@code https://example.com/connection}
     * @throws IllegalArgumentException when the claim name is blank
     */
    static ConnectionResolver auth0(String connectionNameClaim) {
        return new Auth0ConnectionResolver(Map.of(), requireClaimName(connectionNameClaim, "connectionNameClaim"));
    }

    /**
     * Returns a resolver for Auth0 like {@link #auth0(String)}, with prefixes added to or overriding
     * {@link #AUTH0_SUB_PREFIXES}; for instance {@code Map.of("oauth2", SOCIAL)} for Auth0's custom social
     * connections ({@code oauth2|my-connection|1234}). A prefix may be given with or without its trailing
     * {@code |}.
     *
     * @param connectionNameClaim the claim naming the connection, or {@code null} to use the prefix
     * @param extraPrefixes       prefixes and the types they stand for
     * @throws IllegalArgumentException when a prefix is blank or contains {@code |} other than at the end,
     *                                  or the claim name is blank
     */
    static ConnectionResolver auth0(String connectionNameClaim, Map<String, ConnectionType> extraPrefixes) {
        Objects.requireNonNull(extraPrefixes, "extraPrefixes");
        return new Auth0ConnectionResolver(extraPrefixes,
                connectionNameClaim == null ? null : requireClaimName(connectionNameClaim, "connectionNameClaim"));
    }

    /**
     * Returns a resolver that reads the connection name from a claim and maps it to a type, for
     * providers that say it in a claim: Keycloak's {@code identity_provider} (with an "Identity Provider"
     * mapper), Okta's {@code idp}. A value missing from {@code valueTypes} gets {@code whenUnmapped};
     * a token without the claim (a user of the provider's own database, for Keycloak) gets
     * {@link ConnectionType#UNKNOWN}.
     *
     * <p>The claim {@code identities} is read as Amazon Cognito writes it: an array of objects with
     * {@code providerName} and {@code providerType}. The primary identity (or else the first) is used;
     * its {@code providerName} is the name, and the type is looked up by {@code providerName}, then by
     * {@code providerType} (e.g. {@code Google}, {@code SAML}).
     *
     * @param claim        the claim, e.g. {@code identity_provider}, {@code idp} or {@code identities}
     * @param valueTypes   connection names (or Cognito provider types) and their types
     * @param whenUnmapped the type of a name missing from {@code valueTypes}
     * @throws IllegalArgumentException when the claim name is blank
     */
    static ConnectionResolver fromClaim(String claim, Map<String, ConnectionType> valueTypes, ConnectionType whenUnmapped) {
        return fromClaim(claim, valueTypes, whenUnmapped, ConnectionType.UNKNOWN);
    }

    /**
     * Returns a resolver like {@link #fromClaim(String, Map, ConnectionType)} that gives {@code whenAbsent}
     * to tokens without the claim; Keycloak, for instance, leaves {@code identity_provider} out for users
     * of its own database, for whom {@link ConnectionType#DATABASE} is right.
     *
     * @param claim        the claim, e.g. {@code identity_provider}, {@code idp} or {@code identities}
     * @param valueTypes   connection names (or Cognito provider types) and their types
     * @param whenUnmapped the type of a name missing from {@code valueTypes}
     * @param whenAbsent   the type of a token without the claim; its name is the empty string
     * @throws IllegalArgumentException when the claim name is blank
     */
    static ConnectionResolver fromClaim(String claim, Map<String, ConnectionType> valueTypes,
                                        ConnectionType whenUnmapped, ConnectionType whenAbsent) {
        return new ClaimConnectionResolver(requireClaimName(claim, "claim"),
                Objects.requireNonNull(valueTypes, "valueTypes"),
                Objects.requireNonNull(whenUnmapped, "whenUnmapped"),
                Objects.requireNonNull(whenAbsent, "whenAbsent"));
    }

    private static String requireClaimName(String claim, String parameter) {
        if (claim == null || claim.isBlank()) {
            throw new IllegalArgumentException(parameter + ": a claim name is required");
        }
        return claim;
    }
}

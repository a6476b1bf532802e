package io.github.awsdelegation.token;

import io.github.awsdelegation.token.internal.Auth0ConnectionResolver;
import io.github.awsdelegation.token.internal.ClaimConnectionResolver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Tells which connection (identity source) a verified user signed in through, so that role rules can
 * tell social users from database or enterprise users.
 *
 * <p>OpenID Connect has no standard claim for this. Auth0 encodes it in the {@code sub} prefix
 * ({@code google-oauth2|1234}); Keycloak ({@code identity_provider}), Okta ({@code idp}) and Amazon
 * Cognito ({@code identities}) put it in a claim. {@link #auth0()}, {@link #fromClaim(String, Map)} and
 * {@link #claimBuilder(String)} cover these; any other rule can be a lambda. Every resolver here fails
 * closed: what it cannot tell is {@link ConnectionType#UNKNOWN}, which no default role rule matches.
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
     * Returns a resolver that reads the connection name from a claim and maps it to a type, for providers
     * that say it in a claim: Keycloak's {@code identity_provider}, Okta's {@code idp}, Amazon Cognito's
     * {@code identities}. It fails closed: a name missing from {@code valueTypes}, a token without the
     * claim and a claim of another JSON type all give {@link ConnectionType#UNKNOWN}, which no default
     * role rule matches. Use {@link #claimBuilder(String)} to give tokens without the claim a type (Keycloak
     * leaves {@code identity_provider} out for the realm's own users).
     *
     * <p>Keycloak puts {@code identity_provider} into ID tokens only with a protocol mapper of type
     * "User Session Note" ({@code oidc-usersessionmodel-note-mapper}, user session note
     * {@code identity_provider}, "Add to ID token" on); see {@code docs/providers.md}.
     *
     * <p>The claim {@code identities} is read as Amazon Cognito writes it: an array of objects with
     * {@code providerName} and {@code providerType}. The primary identity (or else the first) is used;
     * its {@code providerName} is the name, and the type is looked up by {@code providerName}, then by
     * {@code providerType} (e.g. {@code Google}, {@code SAML}).
     *
     * @param claim      the claim, e.g. {@code identity_provider}, {@code idp} or {@code identities}
     * @param valueTypes connection names (or Cognito provider types) and their types
     * @throws IllegalArgumentException when the claim name is blank, or a name or type is {@code null}
     */
    static ConnectionResolver fromClaim(String claim, Map<String, ConnectionType> valueTypes) {
        return claimBuilder(claim).types(valueTypes).build();
    }

    /**
     * Returns a builder for a resolver that reads the connection name from a claim, as
     * {@link #fromClaim(String, Map)} does, with a type for tokens without the claim and, if you must, a
     * catch-all type for unlisted names:
     * <pre>{@code
     * ConnectionResolver keycloak = ConnectionResolver.claimBuilder("identity_provider")
     *         .type("google", ConnectionType.SOCIAL)
     *         .type("github", ConnectionType.SOCIAL)
     *         .whenAbsent(ConnectionType.DATABASE)   // the realm's own users
     *         .build();
     * }</pre>
     *
     * @param claim the claim, e.g. {@code identity_provider}, {@code idp} or {@code identities}
     * @throws IllegalArgumentException when the claim name is blank
     */
    static ClaimBuilder claimBuilder(String claim) {
        return new ClaimBuilder(requireClaimName(claim, "claim"));
    }

    /**
     * Builds a resolver that reads the connection name from a claim; see {@link #claimBuilder(String)}.
     * Unless told otherwise it fails closed: every token whose connection it cannot name from the listed
     * types is {@link ConnectionType#UNKNOWN}. Not thread-safe; the resolvers it builds are.
     */
    final class ClaimBuilder {

        private final String claim;
        private final Map<String, ConnectionType> types = new LinkedHashMap<>();
        private ConnectionType whenAbsent = ConnectionType.UNKNOWN;
        private ConnectionType whenUnlisted = ConnectionType.UNKNOWN;

        private ClaimBuilder(String claim) {
            this.claim = claim;
        }

        /**
         * Maps a connection name (or a Cognito provider type such as {@code Google} or {@code SAML}) to a
         * type; a later call for the same name replaces the earlier.
         *
         * @throws IllegalArgumentException when the name is blank or the type {@code null}
         */
        public ClaimBuilder type(String name, ConnectionType type) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("types: a connection name must not be blank");
            }
            if (type == null) {
                throw new IllegalArgumentException("types: no connection type for '" + name + "'");
            }
            types.put(name, type);
            return this;
        }

        /**
         * Maps every name of {@code valueTypes} as {@link #type(String, ConnectionType)} does.
         *
         * @throws IllegalArgumentException when a name is blank or a type {@code null}
         */
        public ClaimBuilder types(Map<String, ConnectionType> valueTypes) {
            Objects.requireNonNull(valueTypes, "valueTypes");
            valueTypes.forEach(this::type);
            return this;
        }

        /**
         * Sets the type of a token that does not carry the claim at all; its connection name is the empty
         * string. Keycloak leaves {@code identity_provider} out for users of the realm itself, for whom
         * {@link ConnectionType#DATABASE} is right. A claim that is present but blank or not a string is
         * not absent: it is always {@link ConnectionType#UNKNOWN}. By default, {@link ConnectionType#UNKNOWN}.
         */
        public ClaimBuilder whenAbsent(ConnectionType type) {
            this.whenAbsent = Objects.requireNonNull(type, "whenAbsent");
            return this;
        }

        /**
         * Sets a catch-all type for every connection name the {@link #type types} do not list. Beware:
         * it also applies to any provider added to the OpenID Provider later (a new social login becomes
         * whatever this says, the admin's {@code database} included), so prefer listing every connection.
         * By default, {@link ConnectionType#UNKNOWN}, which no default rule matches.
         */
        public ClaimBuilder whenUnlisted(ConnectionType type) {
            this.whenUnlisted = Objects.requireNonNull(type, "whenUnlisted");
            return this;
        }

        /** Returns the resolver; it is immutable and later changes to this builder do not affect it. */
        public ConnectionResolver build() {
            return new ClaimConnectionResolver(claim, types, whenUnlisted, whenAbsent);
        }
    }

    private static String requireClaimName(String claim, String parameter) {
        if (claim == null || claim.isBlank()) {
            throw new IllegalArgumentException(parameter + ": a claim name is required");
        }
        return claim;
    }
}

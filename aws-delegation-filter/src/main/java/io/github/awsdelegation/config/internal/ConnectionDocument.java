package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.token.ConnectionResolver;
import io.github.awsdelegation.token.ConnectionType;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code oidc.connection} section: how the connection a user signed in through is found, either from Auth0's
 * {@code sub} prefixes (no {@code claim}) or from a claim.
 *
 * @param claim         the claim naming the connection, or {@code null} for Auth0's {@code sub} prefixes
 * @param types         connection names (or, without a claim, extra {@code sub} prefixes) to their types
 * @param absent        with a claim: the type of a token without it; by default, unknown
 * @param unlisted      with a claim: the type of a name not listed under types; by default, unknown
 * @param nameClaim     with Auth0 prefixes: the claim holding the connection's name
 * @param formerDefault the former {@code default} key, refused
 */
public record ConnectionDocument(String claim,
        @CompactMap(valueName = "type", example = "google=social, github=social") Map<String, ConnectionType> types,
        ConnectionType absent, ConnectionType unlisted, String nameClaim, @Key("default") String formerDefault)
        implements Supplier<ConnectionResolver> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionDocument.class);
    private static final String PATH = "oidc.connection";

    public ConnectionDocument {
        if (formerDefault != null) {
            // Its old meaning (every unlisted name, a newly added provider's too, gets this type) gave admin roles
            // away; a key that silently changed meaning would be worse than one that fails.
            throw new ConfigurationException("default", "is no longer accepted: it gave every connection not listed under "
                    + "types, including providers added later, that type. List every connection under " + PATH + ".types;"
                    + " use " + PATH + ".absent for tokens without the claim (Keycloak's realm users: absent: database); only"
                    + " if you must, write an explicit catch-all " + PATH + ".unlisted (see docs/providers.md)");
        }
        if (claim == null && (absent != null || unlisted != null)) {
            throw new ConfigurationException(absent != null ? "absent" : "unlisted", "only applies with " + PATH
                    + ".claim; with Auth0 subject prefixes an unknown prefix is always unknown");
        }
        if (claim != null && nameClaim != null) {
            throw new ConfigurationException("nameClaim", "only applies to Auth0 subject prefixes; with " + PATH
                    + ".claim the claim's value is the connection name");
        }
    }

    @Override
    public ConnectionResolver get() {
        if (claim == null) {
            try {
                return types.isEmpty() && nameClaim == null ? ConnectionResolver.auth0() : ConnectionResolver.auth0(nameClaim, types);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("types", strip(e.getMessage(), "extraPrefixes: "), e);
            }
        }
        ConnectionResolver.ClaimBuilder resolver;
        try {
            resolver = ConnectionResolver.claimBuilder(claim).types(types);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("types", strip(e.getMessage(), "types: "), e);
        }
        if (absent != null) {
            resolver.whenAbsent(absent);
        }
        if (unlisted != null) {
            resolver.whenUnlisted(unlisted);
            if (unlisted != ConnectionType.UNKNOWN) {
                LOG.warn("{}.unlisted: {}: every value of claim '{}' not listed under {}.types is taken as '{}', including"
                        + " any identity provider added to the OpenID Provider later; list each connection under {}.types"
                        + " instead", PATH, unlisted.configName(), claim, PATH, unlisted.configName(), PATH);
            }
        }
        return resolver.build();
    }

    // The resolver's builders name their own parameter first; the document's key is named by the exception.
    private static String strip(String message, String prefix) {
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}

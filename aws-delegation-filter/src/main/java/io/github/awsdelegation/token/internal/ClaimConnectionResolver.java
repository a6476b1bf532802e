package io.github.awsdelegation.token.internal;

import io.github.awsdelegation.token.ConnectionResolver;
import io.github.awsdelegation.token.ConnectionType;
import java.util.List;
import java.util.Map;

/**
 * Keycloak, Okta, Cognito: the connection name is in a claim, mapped to a type by configuration. Built by
 * {@link ConnectionResolver#claimBuilder(String)}; fails closed unless given a catch-all.
 */
public final class ClaimConnectionResolver implements ConnectionResolver {

    /** Amazon Cognito's claim: an array of linked identities rather than one name. */
    static final String COGNITO_IDENTITIES = "identities";

    private final String claim;
    private final Map<String, ConnectionType> valueTypes;
    private final ConnectionType whenUnlisted;
    private final ConnectionType whenAbsent;

    /**
     * Creates the resolver.
     *
     * @param claim        the claim that names the connection
     * @param valueTypes   names (or Cognito provider types) and their types
     * @param whenUnlisted the type of a name missing from {@code valueTypes}
     * @param whenAbsent   the type of a token without the claim
     */
    public ClaimConnectionResolver(String claim, Map<String, ConnectionType> valueTypes,
                                   ConnectionType whenUnlisted, ConnectionType whenAbsent) {
        valueTypes.forEach((value, type) -> {
            if (value == null || type == null) {
                throw new IllegalArgumentException("types: null name or type in " + valueTypes);
            }
        });
        this.claim = claim;
        this.valueTypes = Map.copyOf(valueTypes);
        this.whenUnlisted = whenUnlisted;
        this.whenAbsent = whenAbsent;
    }

    @Override
    public Connection resolve(String subject, Map<String, Object> claims) {
        Object value = claims.get(claim);
        if (COGNITO_IDENTITIES.equals(claim) && value instanceof List<?> identities) {
            return resolveCognito(identities);
        }
        if (value instanceof String name && !name.isBlank()) {
            return new Connection(valueTypes.getOrDefault(name, whenUnlisted), name);
        }
        // Present but blank or not a string: a broken mapper, never a catch-all's business.
        return value == null ? new Connection(whenAbsent, "") : Connection.UNKNOWN;
    }

    private Connection resolveCognito(List<?> identities) {
        Map<?, ?> chosen = null;
        for (Object identity : identities) {
            if (identity instanceof Map<?, ?> map) {
                // Cognito marks the identity the user was created from with "primary": "true" (a string).
                if (chosen == null || "true".equals(String.valueOf(map.get("primary")))) {
                    chosen = map;
                }
                if ("true".equals(String.valueOf(map.get("primary")))) {
                    break;
                }
            }
        }
        if (chosen == null) {
            return Connection.UNKNOWN;
        }
        String name = chosen.get("providerName") instanceof String s ? s : "";
        String providerType = chosen.get("providerType") instanceof String s ? s : "";
        ConnectionType type = valueTypes.get(name);
        if (type == null) {
            type = valueTypes.getOrDefault(providerType, whenUnlisted);
        }
        return new Connection(type, name);
    }

    @Override
    public String toString() {
        return "ConnectionResolver.fromClaim[claim=" + claim + ", values=" + valueTypes.keySet()
                + ", whenUnlisted=" + whenUnlisted.configName() + ", whenAbsent=" + whenAbsent.configName() + "]";
    }
}

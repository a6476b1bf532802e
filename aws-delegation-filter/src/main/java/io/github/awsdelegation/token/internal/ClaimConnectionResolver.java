package io.github.awsdelegation.token.internal;

import io.github.awsdelegation.token.ConnectionResolver;
import io.github.awsdelegation.token.ConnectionType;
import java.util.List;
import java.util.Map;

/** Keycloak, Okta, Cognito: the connection name is in a claim, mapped to a type by configuration. */
public final class ClaimConnectionResolver implements ConnectionResolver {

    /** Amazon Cognito's claim: an array of linked identities rather than one name. */
    static final String COGNITO_IDENTITIES = "identities";

    private final String claim;
    private final Map<String, ConnectionType> valueTypes;
    private final ConnectionType whenUnmapped;
    private final ConnectionType whenAbsent;

    /**
     * Creates the resolver.
     *
     * @param claim        the claim that names the connection
     * @param valueTypes   names (or Cognito provider types) and their types
     * @param whenUnmapped the type of a name missing from {@code valueTypes}
     * @param whenAbsent   the type of a token without the claim
     */
    public ClaimConnectionResolver(String claim, Map<String, ConnectionType> valueTypes,
                                   ConnectionType whenUnmapped, ConnectionType whenAbsent) {
        valueTypes.forEach((value, type) -> {
            if (value == null || type == null) {
                throw new IllegalArgumentException("valueTypes: null name or type in " + valueTypes);
            }
        });
        this.claim = claim;
        this.valueTypes = Map.copyOf(valueTypes);
        this.whenUnmapped = whenUnmapped;
        this.whenAbsent = whenAbsent;
    }

    @Override
    public Connection resolve(String subject, Map<String, Object> claims) {
        Object value = claims.get(claim);
        if (COGNITO_IDENTITIES.equals(claim) && value instanceof List<?> identities) {
            return resolveCognito(identities);
        }
        if (value instanceof String name && !name.isBlank()) {
            return new Connection(valueTypes.getOrDefault(name, whenUnmapped), name);
        }
        return value == null ? new Connection(whenAbsent, "") : new Connection(whenUnmapped, "");
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
            return new Connection(whenAbsent, "");
        }
        String name = chosen.get("providerName") instanceof String s ? s : "";
        String providerType = chosen.get("providerType") instanceof String s ? s : "";
        ConnectionType type = valueTypes.get(name);
        if (type == null) {
            type = valueTypes.getOrDefault(providerType, whenUnmapped);
        }
        return new Connection(type, name);
    }

    @Override
    public String toString() {
        return "ConnectionResolver.fromClaim[claim=" + claim + ", values=" + valueTypes.keySet()
                + ", whenUnmapped=" + whenUnmapped.configName() + ", whenAbsent=" + whenAbsent.configName() + "]";
    }
}

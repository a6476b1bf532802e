package io.github.awsdelegation.token.internal;

import io.github.awsdelegation.token.ConnectionResolver;
import io.github.awsdelegation.token.ConnectionType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Auth0: the connection type is in the {@code sub} prefix, the name in the prefix or a custom claim. */
public final class Auth0ConnectionResolver implements ConnectionResolver {

    /** See {@link ConnectionResolver#AUTH0_SUB_PREFIXES}. */
    public static final Map<String, ConnectionType> DEFAULT_PREFIXES = defaultPrefixes();

    private final Map<String, ConnectionType> prefixes;
    private final String connectionNameClaim;

    /**
     * Creates the resolver.
     *
     * @param extraPrefixes       prefixes added to or overriding {@link #DEFAULT_PREFIXES}
     * @param connectionNameClaim the claim naming the connection, or {@code null}
     */
    public Auth0ConnectionResolver(Map<String, ConnectionType> extraPrefixes, String connectionNameClaim) {
        Map<String, ConnectionType> all = new LinkedHashMap<>(DEFAULT_PREFIXES);
        extraPrefixes.forEach((prefix, type) -> all.put(normalizePrefix(prefix), requireType(prefix, type)));
        this.prefixes = Collections.unmodifiableMap(all);
        this.connectionNameClaim = connectionNameClaim;
    }

    @Override
    public Connection resolve(String subject, Map<String, Object> claims) {
        int bar = subject.indexOf('|');
        String prefix = bar < 0 ? "" : subject.substring(0, bar);
        ConnectionType type = prefixes.getOrDefault(prefix, ConnectionType.UNKNOWN);
        String name = prefix;
        if (connectionNameClaim != null && claims.get(connectionNameClaim) instanceof String claimed && !claimed.isBlank()) {
            name = claimed;
        }
        return new Connection(type, name);
    }

    @Override
    public String toString() {
        return "ConnectionResolver.auth0[prefixes=" + prefixes.keySet()
                + (connectionNameClaim == null ? "" : ", connectionNameClaim=" + connectionNameClaim) + "]";
    }

    private static String normalizePrefix(String prefix) {
        String p = prefix == null ? "" : prefix.strip();
        if (p.endsWith("|")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty() || p.indexOf('|') >= 0) {
            throw new IllegalArgumentException("extraPrefixes: '" + prefix
                    + "' is not a sub prefix; give the part before the first '|', e.g. 'oauth2'");
        }
        return p;
    }

    private static ConnectionType requireType(String prefix, ConnectionType type) {
        if (type == null) {
            throw new IllegalArgumentException("extraPrefixes: no connection type for prefix '" + prefix + "'");
        }
        return type;
    }

    private static Map<String, ConnectionType> defaultPrefixes() {
        // The table Auth0 documents for user IDs ("Identity Providers": user_id = <strategy>|<id>).
        Map<String, ConnectionType> m = new LinkedHashMap<>();
        m.put("auth0", ConnectionType.DATABASE);
        for (String social : new String[] {"google-oauth2", "amazon", "facebook", "github", "twitter", "linkedin",
                "windowslive", "apple"}) {
            m.put(social, ConnectionType.SOCIAL);
        }
        for (String enterprise : new String[] {"samlp", "waad", "adfs", "ad", "oidc", "google-apps"}) {
            m.put(enterprise, ConnectionType.ENTERPRISE);
        }
        m.put("email", ConnectionType.PASSWORDLESS);
        m.put("sms", ConnectionType.PASSWORDLESS);
        return Collections.unmodifiableMap(m);
    }
}

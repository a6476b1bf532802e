package io.github.awsdelegation.token;

import java.util.Locale;

/**
 * The kind of connection (identity source) a user signed in through, in Auth0's terms. Role rules
 * match on it: in the seed's rules, {@link #SOCIAL} users get the buyer role and {@link #DATABASE}
 * users the admin role.
 */
public enum ConnectionType {
    /** A username/password store of the OIDC provider itself (Auth0 {@code auth0|...}). */
    DATABASE,
    /** A social identity provider such as Google, Amazon or GitHub. */
    SOCIAL,
    /** A company directory: SAML, Azure AD, ADFS, LDAP, an upstream OIDC provider. */
    ENTERPRISE,
    /** Email or SMS one-time codes. */
    PASSWORDLESS,
    /** None of the above could be determined. No default rule matches it. */
    UNKNOWN;

    /**
     * Returns the type for a configuration value such as {@code social} or {@code DATABASE}.
     *
     * @throws IllegalArgumentException naming the accepted values when the value is not one of them
     */
    public static ConnectionType parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown connection type '" + value
                    + "'; use one of database, social, enterprise, passwordless, unknown", e);
        }
    }

    // Asked on every request (the rules' reasons): made once.
    private final String configName = name().toLowerCase(Locale.ROOT);

    /** Returns the lower-case name used in configuration and messages. */
    public String configName() {
        return configName;
    }
}

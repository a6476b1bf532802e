package io.github.awsdelegation.config;

import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.sts.saml.SamlSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The whole configuration of the module, immutable and validated when built: one settings object per section of
 * the YAML document ({@link #oidc()}, {@link #sts()}, {@link #cache()}, {@link #request()}, {@link #login()},
 * {@link #clients()}, {@link #saml()} with {@link #samlEndpoints()}, {@link #rules()} and {@link #admin()}). It is usually read by
 * {@link DelegationConfigLoader}; see {@code docs/configuration.md} for every key. Each section checks itself; this
 * class checks what spans sections (a role assumed with SAML needs the {@code saml} section, the refresh-ahead time
 * must be shorter than the session duration).
 */
public final class DelegationConfig {

    private final OidcSettings oidc;
    private final StsSettings sts;
    private final CacheSettings cache;
    private final RequestSettings request;
    private final LoginSettings login;
    private final ClientSettings clients;
    private final SamlSettings saml;
    private final SamlEndpointSettings samlEndpoints;
    private final List<RoleRule> rules;
    private final AdminSettings admin;

    private DelegationConfig(Builder b) {
        this.oidc = require(b.oidc, "oidc", "set oidc.issuer and oidc.clientId");
        this.sts = require(b.sts, "sts", "set sts.region");
        this.cache = b.cache;
        this.request = b.request;
        this.login = b.login;
        this.clients = b.clients;
        this.saml = b.saml;
        this.samlEndpoints = b.saml == null ? null : b.samlEndpoints;
        this.rules = List.copyOf(b.rules);
        this.admin = b.admin;
        if (rules.isEmpty()) {
            throw new ConfigurationException("rules", "no role rules: add at least one rule, or no user will get a role");
        }
        if (cache.refreshAhead().compareTo(sts.sessionDuration()) >= 0) {
            throw new ConfigurationException("cache.refreshAhead", cache.refreshAhead()
                    + " must be longer than 1 minute and shorter than sts.sessionDuration (" + sts.sessionDuration() + ")");
        }
        RoleChecks.check(rules, sts, saml);
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    private static <T> T require(T value, String key, String fix) {
        if (value == null) {
            throw new ConfigurationException(key, "missing; " + fix);
        }
        return value;
    }

    /** Returns the OpenID Provider and how its ID tokens are validated ({@code oidc}). */
    public OidcSettings oidc() {
        return oidc;
    }

    /** Returns how STS is reached and how long credentials live by default ({@code sts}). */
    public StsSettings sts() {
        return sts;
    }

    /** Returns how issued credentials are cached ({@code cache}). */
    public CacheSettings cache() {
        return cache;
    }

    /** Returns where requests carry tokens and role requests ({@code request}). */
    public RequestSettings request() {
        return request;
    }

    /** Returns the built-in OIDC login settings ({@code login}), or {@code null} when the login endpoints are off. */
    public LoginSettings login() {
        return login;
    }

    /** Returns the settings of the AWS clients the app gets for its users ({@code clients}). */
    public ClientSettings clients() {
        return clients;
    }

    /**
     * Returns the SAML identity provider this module acts as (for roles assumed with SAML and console sign-in),
     * or {@code null} when the configuration has no {@code saml} section.
     */
    public SamlSettings saml() {
        return saml;
    }

    /** Returns the SAML endpoints (metadata, console, roles, delegation), or {@code null} without a {@code saml} section. */
    public SamlEndpointSettings samlEndpoints() {
        return samlEndpoints;
    }

    /** Returns the role rules in evaluation order ({@code rules}). */
    public List<RoleRule> rules() {
        return rules;
    }

    /** Returns the admin paths (explain, health) ({@code admin}), or {@code null} when they are off, as by default. */
    public AdminSettings admin() {
        return admin;
    }

    /** Builds a {@link DelegationConfig} in code: {@link #oidc}, {@link #sts} and at least one rule are required. */
    public static final class Builder {

        private OidcSettings oidc;
        private StsSettings sts;
        private CacheSettings cache = CacheSettings.defaults();
        private RequestSettings request = RequestSettings.defaults();
        private LoginSettings login;
        private ClientSettings clients = ClientSettings.defaults();
        private final List<RoleRule> rules = new ArrayList<>();
        private SamlSettings saml;
        private SamlEndpointSettings samlEndpoints;
        private AdminSettings admin;

        private Builder() {
        }

        /** Sets the OpenID Provider. Required; {@link OidcSettings#of} gives one with the defaults. */
        public Builder oidc(OidcSettings oidc) {
            this.oidc = oidc;
            return this;
        }

        /** Sets how STS is reached. Required. */
        public Builder sts(StsSettings sts) {
            this.sts = sts;
            return this;
        }

        /** Sets the cache settings. By default, {@link CacheSettings#defaults()}. */
        public Builder cache(CacheSettings cache) {
            this.cache = Objects.requireNonNull(cache);
            return this;
        }

        /** Sets the request settings. By default, {@link RequestSettings#defaults()}. */
        public Builder request(RequestSettings request) {
            this.request = Objects.requireNonNull(request);
            return this;
        }

        /** Turns the built-in login on with these settings, or off with {@code null}. By default, off. */
        public Builder login(LoginSettings login) {
            this.login = login;
            return this;
        }

        /** Sets the AWS client settings. By default, {@link ClientSettings#defaults()}. */
        public Builder clients(ClientSettings clients) {
            this.clients = Objects.requireNonNull(clients);
            return this;
        }

        /**
         * Makes the module a SAML identity provider with these settings and endpoints ({@code null} endpoints for
         * the defaults), or not with {@code null} settings. By default, not.
         */
        public Builder saml(SamlSettings saml, SamlEndpointSettings endpoints) {
            this.saml = saml;
            this.samlEndpoints = endpoints == null ? SamlEndpointSettings.defaults() : endpoints;
            return this;
        }

        /** Turns the admin paths (explain, health) on with these settings, or off with {@code null}. By default, off. */
        public Builder admin(AdminSettings admin) {
            this.admin = admin;
            return this;
        }

        /** Appends role rules, evaluated in order. */
        public Builder rules(Collection<? extends RoleRule> rules) {
            this.rules.addAll(rules);
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws ConfigurationException naming the key at fault
         */
        public DelegationConfig build() {
            return new DelegationConfig(this);
        }
    }
}

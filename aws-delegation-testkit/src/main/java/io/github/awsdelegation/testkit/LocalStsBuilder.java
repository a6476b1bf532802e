package io.github.awsdelegation.testkit;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Configures and starts a {@link LocalSts}. */
public final class LocalStsBuilder {

    // Package-private: LocalSts's constructor reads the settings.
    final Map<URI, List<String>> providers = new LinkedHashMap<>();
    final Map<String, String> samlProviders = new LinkedHashMap<>();
    final List<LocalRole> roles = new ArrayList<>();
    final Map<String, String> managedPolicies = new LinkedHashMap<>();
    final List<LocalSts.AccessKey> accessKeys = new ArrayList<>();
    final List<LocalStsConfiguration> configurations = new ArrayList<>();
    int port;
    Clock clock = Clock.systemUTC();
    String accountId = LocalSts.DEFAULT_ACCOUNT_ID;

    LocalStsBuilder() {
    }

    /**
     * Registers an OIDC provider (as IAM CreateOpenIDConnectProvider) with the client ids it accepts as audience.
     * Its ARN is {@code arn:aws:iam::<account>:oidc-provider/<issuer host:port/path>}.
     */
    public LocalStsBuilder oidcProvider(URI issuer, String... clientIds) {
        providers.put(Objects.requireNonNull(issuer, "issuer"), List.of(clientIds));
        return this;
    }

    /**
     * Registers an IAM SAML provider from IdP metadata (as IAM CreateSAMLProvider); see
     * {@link LocalSts#addSamlProvider(String, String)}.
     */
    public LocalStsBuilder samlProvider(String providerArn, String metadataXml) {
        samlProviders.put(Objects.requireNonNull(providerArn, "providerArn"), Objects.requireNonNull(metadataXml, "metadataXml"));
        return this;
    }

    /** Adds a role. */
    public LocalStsBuilder role(LocalRole role) {
        roles.add(Objects.requireNonNull(role, "role"));
        return this;
    }

    /** Registers a customer managed policy; see {@link LocalSts#addManagedPolicy}. */
    public LocalStsBuilder managedPolicy(String policyArn, String json) {
        managedPolicies.put(Objects.requireNonNull(policyArn, "policyArn"), Objects.requireNonNull(json, "json"));
        return this;
    }

    /**
     * Adds the roles, managed policies and access keys of a JSON file, read now and applied at {@link #start()}
     * (format: see {@code docs/testkit.md}; {@code ${oidcProviderArn}} and {@code ${oidcProviderId}} in trust
     * policies stand for the first registered OIDC provider).
     *
     * @throws IllegalArgumentException when the file is not a JSON object
     */
    public LocalStsBuilder configuration(java.nio.file.Path file) {
        configurations.add(LocalStsConfiguration.read(Objects.requireNonNull(file, "file")));
        return this;
    }

    /** Registers an IAM user's long-term access key for STS AssumeRole; see {@link LocalSts#addAccessKey}. */
    public LocalStsBuilder accessKey(String accessKeyId, String secretAccessKey, String principalArn) {
        accessKeys.add(new LocalSts.AccessKey(accessKeyId, secretAccessKey, principalArn));
        return this;
    }

    /** Sets the port; 0 (the default) picks a free one. */
    public LocalStsBuilder port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("LocalSts port must be 0-65535, got " + port);
        }
        this.port = port;
        return this;
    }

    /** Sets the clock for token expiry and credential expiration. By default, the system UTC clock. */
    public LocalStsBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Sets the 12-digit account id. By default, {@value LocalSts#DEFAULT_ACCOUNT_ID}. */
    public LocalStsBuilder accountId(String accountId) {
        if (accountId == null || !accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("LocalSts accountId must be 12 digits, got '" + accountId + "'");
        }
        this.accountId = accountId;
        return this;
    }

    /**
     * Starts the STS on 127.0.0.1.
     *
     * @throws IllegalArgumentException when a provider or role is invalid (see {@link LocalSts#addOidcProvider},
     *     {@link LocalSts#addSamlProvider} and {@link LocalSts#addRole})
     */
    public LocalSts start() {
        URI firstProvider = providers.keySet().stream().findFirst().orElse(null);
        configurations.forEach(c -> c.applyTo(this, accountId, firstProvider));
        configurations.clear();
        return new LocalSts(this);
    }
}

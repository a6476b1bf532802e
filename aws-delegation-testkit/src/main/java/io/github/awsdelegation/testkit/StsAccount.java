package io.github.awsdelegation.testkit;

import io.github.awsdelegation.testkit.internal.Loopback;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IAM side of a {@link LocalSts}'s account: its OIDC and SAML providers, roles, customer managed policies and
 * IAM users' access keys, each checked as it is registered (a mistake names the value and how it should look).
 * Thread-safe.
 */
final class StsAccount {

    private final String accountId;
    private final Map<String, OidcProvider> oidcProviders = new ConcurrentHashMap<>();
    private final Map<String, SamlProvider> samlProviders = new ConcurrentHashMap<>();
    private final Map<String, LocalRole> roles = new ConcurrentHashMap<>();
    private final Map<String, String> managedPolicies = new ConcurrentHashMap<>();
    private final Map<String, LocalSts.AccessKey> accessKeys = new ConcurrentHashMap<>();

    StsAccount(String accountId) {
        this.accountId = accountId;
    }

    void addOidcProvider(URI issuer, String providerId, String providerArn, String... clientIds) {
        if (!Loopback.isLoopbackHttp(issuer)) {
            throw new IllegalArgumentException("LocalSts oidcProvider: the issuer must be an http(s) URL on 127.0.0.1 or"
                    + " localhost, got " + issuer);
        }
        if (clientIds.length == 0) {
            throw new IllegalArgumentException("LocalSts oidcProvider " + issuer + ": give at least one client id");
        }
        oidcProviders.put(providerId, new OidcProvider(issuer, providerId, providerArn, List.of(clientIds)));
    }

    Optional<OidcProvider> oidcProvider(String providerId) {
        return Optional.ofNullable(providerId == null ? null : oidcProviders.get(providerId));
    }

    void addSamlProvider(SamlProvider provider) {
        if (!provider.accountId().equals(accountId)) {
            throw new IllegalArgumentException("LocalSts samlProvider " + provider.arn() + " belongs to account "
                    + provider.accountId() + ", not to this STS's account " + accountId);
        }
        samlProviders.put(provider.arn(), provider);
    }

    boolean removeSamlProvider(String providerArn) {
        return providerArn != null && samlProviders.remove(providerArn) != null;
    }

    Optional<SamlProvider> samlProvider(String providerArn) {
        return Optional.ofNullable(providerArn == null ? null : samlProviders.get(providerArn));
    }

    void addRole(LocalRole role) {
        if (!role.accountId().equals(accountId)) {
            throw new IllegalArgumentException("LocalSts role " + role.arn() + " belongs to account " + role.accountId()
                    + ", not to this STS's account " + accountId);
        }
        roles.put(role.arn(), role);
    }

    boolean removeRole(String roleArn) {
        return roleArn != null && roles.remove(roleArn) != null;
    }

    Optional<LocalRole> role(String roleArn) {
        return Optional.ofNullable(roleArn == null ? null : roles.get(roleArn));
    }

    Set<String> roleArns() {
        return Set.copyOf(roles.keySet());
    }

    void addManagedPolicy(String policyArn, String json) {
        if (policyArn == null || !policyArn.matches("arn:aws:iam::(\\d{12}|aws):policy/[\\w+=,.@/-]+")) {
            throw new IllegalArgumentException("LocalSts managed policy ARN must look like"
                    + " arn:aws:iam::123456789012:policy/name, got '" + policyArn + "'");
        }
        managedPolicies.put(policyArn, Objects.requireNonNull(json, "json"));
    }

    Optional<String> managedPolicy(String policyArn) {
        return Optional.ofNullable(policyArn == null ? null : managedPolicies.get(policyArn));
    }

    void addAccessKey(LocalSts.AccessKey key) {
        if (key.accessKeyId() == null || !key.accessKeyId().matches("AKIA[A-Z0-9]{12,124}")) {
            throw new IllegalArgumentException("LocalSts access key id must look like AKIA followed by 16 letters or digits");
        }
        if (key.secretAccessKey() == null || key.secretAccessKey().length() < 16) {
            throw new IllegalArgumentException("LocalSts secret access key must be at least 16 characters");
        }
        if (key.principalArn() == null || !key.principalArn().matches("arn:aws:iam::\\d{12}:user/[\\w+=,.@/-]+")) {
            throw new IllegalArgumentException("LocalSts access key principal must look like"
                    + " arn:aws:iam::123456789012:user/name, got '" + key.principalArn() + "'");
        }
        accessKeys.put(key.accessKeyId(), key);
    }

    Optional<LocalSts.AccessKey> accessKey(String accessKeyId) {
        return Optional.ofNullable(accessKeyId == null ? null : accessKeys.get(accessKeyId));
    }
}

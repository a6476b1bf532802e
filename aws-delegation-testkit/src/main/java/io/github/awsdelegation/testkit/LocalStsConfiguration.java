package io.github.awsdelegation.testkit;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads roles, managed policies and access keys for {@link LocalSts} from a JSON file, so that a hand-run
 * {@link LocalAwsMain} (or a test) can describe its account without code:
 * <pre>{@code
 * {
 *   "roles": [{
 *     "arn": "arn:aws:iam::123456789012:role/pet-shop-buyer",
 *     "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
 *        "Principal": {"Federated": "${oidcProviderArn}"}, "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
 *        "Condition": {"StringEquals": {"${oidcProviderId}:aud": "pet-shop"}}}]},
 *     "permissionPolicy": {"Version": "2012-10-17", "Statement": [ ... ]},
 *     "maxSessionDuration": 3600
 *   }],
 *   "managedPolicies": {"arn:aws:iam::123456789012:policy/read-only": { ... }},
 *   "accessKeys": [{"accessKeyId": "AKIA...", "secretAccessKey": "...", "principalArn": "arn:aws:iam::123456789012:user/app"}]
 * }
 * }</pre>
 * Policies may be JSON objects or strings. In trust policies, {@code ${oidcProviderArn}} and {@code ${oidcProviderId}}
 * stand for the first registered OIDC provider (whose port is often chosen at start).
 */
final class LocalStsConfiguration {

    private final Path file;
    private final Map<String, Object> document;

    private LocalStsConfiguration(Path file, Map<String, Object> document) {
        this.file = file;
        this.document = document;
    }

    /**
     * Reads the file.
     *
     * @throws IllegalArgumentException when it is not a JSON object
     * @throws UncheckedIOException when it cannot be read
     */
    static LocalStsConfiguration read(Path file) {
        try {
            return new LocalStsConfiguration(file, JSONObjectUtils.parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("LocalSts configuration: cannot read " + file, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException("LocalSts configuration " + file + " is not a JSON object: " + e.getMessage(), e);
        }
    }

    /** Adds the file's roles, managed policies and access keys to the builder; {@code provider} is the first OIDC issuer. */
    void applyTo(LocalStsBuilder builder, String accountId, URI provider) {
        for (String key : document.keySet()) {
            if (!List.of("roles", "managedPolicies", "accessKeys").contains(key)) {
                throw new IllegalArgumentException("LocalSts configuration " + file + ": unknown key '" + key
                        + "'; use roles, managedPolicies, accessKeys");
            }
        }
        for (Map<String, Object> role : objects("roles")) {
            String trust = json(role.get("trustPolicy"), "roles[].trustPolicy");
            if (provider != null) {
                trust = trust.replace("${oidcProviderArn}", LocalSts.oidcProviderArn(accountId, provider))
                        .replace("${oidcProviderId}", LocalSts.oidcProviderId(provider));
            }
            LocalRole.Builder b = LocalRole.builder().arn((String) role.get("arn")).trustPolicy(trust);
            if (role.get("permissionPolicy") != null) {
                b.permissionPolicy(json(role.get("permissionPolicy"), "roles[].permissionPolicy"));
            }
            if (role.get("maxSessionDuration") instanceof Number seconds) {
                b.maxSessionDuration(Duration.ofSeconds(seconds.longValue()));
            }
            builder.role(b.build());
        }
        Object managed = document.get("managedPolicies");
        if (managed instanceof Map<?, ?> policies) {
            policies.forEach((arn, policy) -> builder.managedPolicy(String.valueOf(arn), json(policy, "managedPolicies")));
        }
        for (Map<String, Object> key : objects("accessKeys")) {
            builder.accessKey((String) key.get("accessKeyId"), (String) key.get("secretAccessKey"), (String) key.get("principalArn"));
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> objects(String key) {
        Object value = document.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.stream().anyMatch(item -> !(item instanceof Map))) {
            throw new IllegalArgumentException("LocalSts configuration " + file + ": " + key + " must be a list of objects");
        }
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private String json(Object value, String key) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map<?, ?> map) {
            return JSONObjectUtils.toJSONString((Map<String, ?>) map);
        }
        throw new IllegalArgumentException("LocalSts configuration " + file + ": " + key + " must be a JSON object or string");
    }
}

package io.github.awsdelegation.testkit;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IAM role as {@link LocalSts} knows it: its ARN, trust policy (who may assume it), permission policy (what
 * the role may do; enforced by the local S3 and API Gateway) and maximum session duration. Immutable.
 */
public final class LocalRole {

    /** The default maximum session duration: 1 hour, IAM's default. */
    public static final Duration DEFAULT_MAX_SESSION_DURATION = Duration.ofHours(1);
    /** The smallest maximum session duration IAM accepts: 1 hour. */
    public static final Duration MIN_MAX_SESSION_DURATION = Duration.ofHours(1);
    /** The largest maximum session duration IAM accepts: 12 hours. */
    public static final Duration MAX_MAX_SESSION_DURATION = Duration.ofHours(12);

    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::(\\d{12}):role/((?:[\\w+=,.@-]+/)*)([\\w+=,.@-]{1,64})");
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private final String arn;
    private final String accountId;
    private final String name;
    private final String trustPolicy;
    private final String permissionPolicy;
    private final Duration maxSessionDuration;

    private LocalRole(Builder builder, Matcher arnMatch) {
        this.arn = builder.arn;
        this.accountId = arnMatch.group(1);
        this.name = arnMatch.group(3);
        this.trustPolicy = builder.trustPolicy;
        this.permissionPolicy = builder.permissionPolicy;
        this.maxSessionDuration = builder.maxSessionDuration;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a role that trusts an OIDC provider for one audience, with the trust policy IAM's console writes for
     * a web identity role: {@code Principal.Federated} = the provider ARN, {@code Action} =
     * {@code sts:AssumeRoleWithWebIdentity} and {@code sts:TagSession}, and {@code Condition.StringEquals}
     * {@code "<provider>:aud"} = {@code audience}. No permission policy; maximum session duration 1 hour.
     *
     * @param roleArn the role ARN, {@code arn:aws:iam::<account>:role/<name>}
     * @param issuer the OIDC issuer, e.g. {@link LocalIdentityProvider#issuer()}
     * @param audience the client id the token must be issued to
     */
    public static LocalRole trustingOidc(String roleArn, URI issuer, String audience) {
        Matcher match = matchArn(roleArn);
        return builder().arn(roleArn).trustPolicy(webIdentityTrustPolicy(match.group(1), issuer, audience)).build();
    }

    /**
     * Returns the standard web identity trust policy for a provider in {@code accountId} and one audience, as
     * compact JSON.
     */
    public static String webIdentityTrustPolicy(String accountId, URI issuer, String audience) {
        return webIdentityTrustPolicy(accountId, Map.of(issuer, audience));
    }

    /**
     * Returns a web identity trust policy that trusts several OIDC providers in {@code accountId}, each for one
     * audience: one statement per provider, as {@link #webIdentityTrustPolicy(String, URI, String)} writes it (a role
     * that IAM users of two identity providers may assume), as compact JSON.
     *
     * @param audiences each issuer and the client id its tokens must be issued to, in statement order
     * @throws IllegalArgumentException when there is no issuer
     */
    public static String webIdentityTrustPolicy(String accountId, Map<URI, String> audiences) {
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("a web identity trust policy needs at least one OIDC provider");
        }
        List<Map<String, Object>> statements = new ArrayList<>();
        audiences.forEach((issuer, audience) -> {
            Map<String, Object> statement = new LinkedHashMap<>();
            statement.put("Effect", "Allow");
            statement.put("Principal", Map.of("Federated", LocalSts.oidcProviderArn(accountId, issuer)));
            statement.put("Action", List.of("sts:AssumeRoleWithWebIdentity", "sts:TagSession"));
            statement.put("Condition", Map.of("StringEquals", Map.of(LocalSts.oidcProviderId(issuer) + ":aud", audience)));
            statements.add(statement);
        });
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", statements);
        return JSONObjectUtils.toJSONString(policy);
    }

    /**
     * Returns a role that trusts an IAM SAML provider, with the trust policy IAM's console writes for a SAML 2.0
     * federation role: {@code Principal.Federated} = the provider ARN, {@code Action} = {@code sts:AssumeRoleWithSAML},
     * {@code sts:TagSession} and {@code sts:SetSourceIdentity}, and {@code Condition.StringEquals}
     * {@code "SAML:aud"} = {@code https://signin.aws.amazon.com/saml}. No permission policy; maximum session duration 1 hour.
     *
     * @param roleArn     the role ARN, {@code arn:aws:iam::<account>:role/<name>}
     * @param providerArn the SAML provider ARN, {@code arn:aws:iam::<account>:saml-provider/<name>}
     */
    public static LocalRole trustingSaml(String roleArn, String providerArn) {
        return builder().arn(roleArn).trustPolicy(samlTrustPolicy(providerArn)).build();
    }

    /** Returns the standard SAML 2.0 federation trust policy for a provider, as compact JSON. */
    public static String samlTrustPolicy(String providerArn) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Allow");
        statement.put("Principal", Map.of("Federated", providerArn));
        statement.put("Action", List.of("sts:AssumeRoleWithSAML", "sts:TagSession", "sts:SetSourceIdentity"));
        statement.put("Condition", Map.of("StringEquals", Map.of("SAML:aud", "https://signin.aws.amazon.com/saml")));
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", List.of(statement));
        return JSONObjectUtils.toJSONString(policy);
    }

    /**
     * Returns a trust policy that lets the given principals (IAM user or role ARNs, {@code arn:aws:iam::<account>:root}
     * or an account id) assume the role with STS AssumeRole, tag the session and set its source identity, as compact
     * JSON.
     */
    public static String assumeRoleTrustPolicy(String... principalArns) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Allow");
        statement.put("Principal", Map.of("AWS", List.of(principalArns)));
        statement.put("Action", List.of("sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"));
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", List.of(statement));
        return JSONObjectUtils.toJSONString(policy);
    }

    /** Returns the role ARN. */
    public String arn() {
        return arn;
    }

    /** Returns the account id from the ARN. */
    public String accountId() {
        return accountId;
    }

    /** Returns the role name, the last part of the ARN. */
    public String name() {
        return name;
    }

    /**
     * Returns the role's unique id, {@code AROA} and 17 characters derived from the ARN, as in
     * {@code AssumedRoleId} ({@code AROA...:<session name>}).
     */
    public String roleId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(arn.getBytes(StandardCharsets.UTF_8));
            StringBuilder id = new StringBuilder("AROA");
            for (int i = 0; i < 17; i++) {
                id.append(BASE32[(digest[i] & 0xff) % 32]);
            }
            return id.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns the ARN of a session of this role, {@code arn:aws:sts::<account>:assumed-role/<role name>/<session name>}:
     * the {@code AssumedRoleUser.Arn} of STS answers and the console session's identity.
     */
    public String assumedRoleArn(String roleSessionName) {
        return "arn:aws:sts::" + accountId + ":assumed-role/" + name + "/" + roleSessionName;
    }

    /** Returns the trust policy JSON. */
    public String trustPolicy() {
        return trustPolicy;
    }

    /** Returns the permission policy JSON, if one was given. */
    public Optional<String> permissionPolicy() {
        return Optional.ofNullable(permissionPolicy);
    }

    /** Returns the maximum session duration. */
    public Duration maxSessionDuration() {
        return maxSessionDuration;
    }

    @Override
    public String toString() {
        return "LocalRole[" + arn + ", maxSessionDuration=" + maxSessionDuration + "]";
    }

    private static Matcher matchArn(String arn) {
        Matcher match = arn == null ? null : ROLE_ARN.matcher(arn);
        if (match == null || !match.matches()) {
            throw new IllegalArgumentException("LocalRole arn must look like arn:aws:iam::123456789012:role/name, got '"
                    + arn + "'");
        }
        return match;
    }

    /** Configures a {@link LocalRole}; {@link #arn(String)} and {@link #trustPolicy(String)} are required. */
    public static final class Builder {
        private String arn;
        private String trustPolicy;
        private String permissionPolicy;
        private Duration maxSessionDuration = DEFAULT_MAX_SESSION_DURATION;

        private Builder() {
        }

        /** Sets the role ARN, {@code arn:aws:iam::<12-digit account>:role/[path/]<name>}. */
        public Builder arn(String arn) {
            this.arn = arn;
            return this;
        }

        /** Sets the trust policy (JSON); see {@link LocalSts} for the subset it is evaluated in. */
        public Builder trustPolicy(String json) {
            this.trustPolicy = json;
            return this;
        }

        /** Sets the permission policy (JSON), which the local S3 and API Gateway enforce. */
        public Builder permissionPolicy(String json) {
            this.permissionPolicy = json;
            return this;
        }

        /** Sets the maximum session duration, 1 to 12 hours. By default, 1 hour. */
        public Builder maxSessionDuration(Duration duration) {
            this.maxSessionDuration = Objects.requireNonNull(duration, "maxSessionDuration");
            return this;
        }

        /**
         * Builds the role.
         *
         * @throws IllegalArgumentException naming the offending setting
         */
        public LocalRole build() {
            Matcher match = matchArn(arn);
            requireJsonObject(trustPolicy, "trustPolicy", true);
            requireJsonObject(permissionPolicy, "permissionPolicy", false);
            if (maxSessionDuration.compareTo(MIN_MAX_SESSION_DURATION) < 0
                    || maxSessionDuration.compareTo(MAX_MAX_SESSION_DURATION) > 0
                    || maxSessionDuration.toNanosPart() != 0) {
                throw new IllegalArgumentException("LocalRole " + arn + ": maxSessionDuration must be 1 to 12 hours in whole seconds, got "
                        + maxSessionDuration);
            }
            return new LocalRole(this, match);
        }

        private void requireJsonObject(String json, String key, boolean required) {
            if (json == null) {
                if (required) {
                    throw new IllegalArgumentException("LocalRole " + arn + ": " + key + " is required");
                }
                return;
            }
            try {
                JSONObjectUtils.parse(json);
            } catch (ParseException e) {
                throw new IllegalArgumentException("LocalRole " + arn + ": " + key + " is not a JSON object (MalformedPolicyDocument)", e);
            }
        }
    }
}

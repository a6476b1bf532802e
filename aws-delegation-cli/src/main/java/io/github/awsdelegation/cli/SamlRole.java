package io.github.awsdelegation.cli;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A role offered by a SAML response ({@code https://aws.amazon.com/SAML/Attributes/Role}: a role ARN and the IAM SAML
 * provider it trusts).
 *
 * @param roleArn     {@code arn:<partition>:iam::<account>:role/<name>}
 * @param providerArn {@code arn:<partition>:iam::<account>:saml-provider/<name>}
 */
record SamlRole(String roleArn, String providerArn) {

    private static final Pattern ROLE = Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::(\\d{12}):role/(?:.*/)?([\\w+=,.@-]+)");
    private static final Pattern PROVIDER = Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::\\d{12}:saml-provider/[\\w.-]+");

    SamlRole {
        if (!ROLE.matcher(roleArn).matches()) {
            throw new IllegalArgumentException("not an IAM role ARN: " + roleArn);
        }
        if (!PROVIDER.matcher(providerArn).matches()) {
            throw new IllegalArgumentException("not an IAM SAML provider ARN: " + providerArn);
        }
    }

    /** Parses an attribute value, {@code roleArn,providerArn} in either order (AWS accepts both). */
    static SamlRole parse(String value) {
        String[] parts = value.trim().split("\\s*,\\s*");
        if (parts.length != 2) {
            throw new IllegalArgumentException("a Role attribute value is 'roleArn,providerArn', not: " + value);
        }
        return parts[0].contains(":saml-provider/") ? new SamlRole(parts[1], parts[0]) : new SamlRole(parts[0], parts[1]);
    }

    String partition() {
        return part(1);
    }

    String accountId() {
        return part(2);
    }

    String roleName() {
        return part(3);
    }

    /** The profile name, {@code Role@alias}, with the account's alias, else its number. */
    String profileName(Map<String, String> accountAliases) {
        return roleName() + "@" + accountAliases.getOrDefault(accountId(), accountId());
    }

    private String part(int group) {
        Matcher m = ROLE.matcher(roleArn);
        m.matches();
        return m.group(group);
    }
}

package io.github.awsdelegation.it;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.LocalAws;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration document of a test deployment, written in one place: the {@code oidc} and {@code sts} sections
 * every deployment has, the sections a test adds, and its rules. The YAML text (keys, nesting, indentation) lives
 * only here, so a renamed key is one edit:
 *
 * <pre>{@code
 * ItConfig.of(env.aws)
 *         .sts("callTimeout", "2s")
 *         .section("login", "{}")
 *         .rule("social-buyers", "social", ItConfig.role(Demo.BUYER_ROLE_ARN))
 *         .yaml();
 * }</pre>
 */
public final class ItConfig {

    /** The region every test deployment calls STS in. */
    public static final String REGION = "us-east-1";

    private final URI issuer;
    private final URI stsEndpoint;
    private String clientId = Demo.CLIENT_ID;
    private final Map<String, String> sts = new LinkedHashMap<>();
    private final Map<String, String> sections = new LinkedHashMap<>();
    private final List<String> rules = new ArrayList<>();

    private ItConfig(URI issuer, URI stsEndpoint) {
        this.issuer = issuer;
        this.stsEndpoint = stsEndpoint;
    }

    /** A document for the testkit's OIDC provider and STS, with the demo client id. */
    public static ItConfig of(LocalAws aws) {
        return of(aws.identityProvider().issuer(), aws.sts().endpoint());
    }

    /** A document for another OIDC provider (or a dead one) and an STS endpoint, with the demo client id. */
    public static ItConfig of(URI issuer, URI stsEndpoint) {
        return new ItConfig(issuer, stsEndpoint);
    }

    /** Sets {@code oidc.clientId}. By default, {@link Demo#CLIENT_ID}. */
    public ItConfig clientId(String clientId) {
        this.clientId = clientId;
        return this;
    }

    /** Adds a key of the {@code sts} section, beside {@code region} and {@code endpoint}. */
    public ItConfig sts(String key, String value) {
        sts.put(key, value);
        return this;
    }

    /**
     * Adds a top-level section: {@code body} is its YAML, either a flow value ({@code {}}, {@code [a, b]}) or block
     * lines, which are indented under the section's name.
     */
    public ItConfig section(String name, String body) {
        sections.put(name, body);
        return this;
    }

    /**
     * Adds a rule.
     *
     * @param id the rule id
     * @param connectionType the connection type it matches ({@code social}, {@code database}), or null for everyone
     * @param roles the roles it grants, the first being the default
     */
    public ItConfig rule(String id, String connectionType, Role... roles) {
        StringBuilder rule = new StringBuilder("  - id: ").append(id).append('\n');
        if (connectionType != null) {
            rule.append("    connectionType: ").append(connectionType).append('\n');
        }
        rule.append("    roles:\n");
        for (Role role : roles) {
            rule.append(role.yaml());
        }
        rules.add(rule.toString());
        return this;
    }

    /** A role of a rule, by ARN. */
    public static Role role(String arn) {
        return new Role(arn);
    }

    /** Returns the document. */
    public String yaml() {
        StringBuilder out = new StringBuilder()
                .append("oidc:\n")
                .append("  issuer: ").append(issuer).append('\n')
                .append("  clientId: ").append(clientId).append('\n')
                .append("sts:\n")
                .append("  region: ").append(REGION).append('\n')
                .append("  endpoint: ").append(stsEndpoint).append('\n');
        sts.forEach((key, value) -> entry(out, 2, key, value));
        sections.forEach((name, body) -> entry(out, 0, name, body));
        out.append("rules:\n");
        rules.forEach(out::append);
        return out.toString();
    }

    @Override
    public String toString() {
        return yaml();
    }

    // A value is a scalar or flow value on the key's line ("{}", "[a, b]", "'{...}'"), or block lines beneath it.
    private static void entry(StringBuilder out, int indent, String key, String value) {
        String trimmed = value.strip();
        boolean block = (trimmed.contains("\n") || trimmed.contains(": ")) && "'\"{[".indexOf(trimmed.charAt(0)) < 0;
        out.append(" ".repeat(indent)).append(key).append(':');
        if (block) {
            out.append('\n').append(value.stripTrailing().stripIndent().indent(indent + 2));
        } else {
            out.append(' ').append(trimmed).append('\n');
        }
    }

    /** A role of a rule: its ARN and the keys a test sets. */
    public static final class Role {

        private final String arn;
        private final Map<String, String> keys = new LinkedHashMap<>();

        private Role(String arn) {
            this.arn = arn;
        }

        /** Sets the IAM SAML provider ARN ({@code principal}): the role is assumed with SAML. */
        public Role principal(String providerArn) {
            return with("principal", providerArn);
        }

        /** Sets the region the role's STS calls go to. */
        public Role region(String region) {
            return with("region", region);
        }

        /** Sets any other key of the role; {@code yaml} is its value, a scalar or block lines. */
        public Role with(String key, String yaml) {
            keys.put(key, yaml);
            return this;
        }

        String yaml() {
            StringBuilder out = new StringBuilder("      - arn: ").append(arn).append('\n');
            keys.forEach((key, value) -> entry(out, 8, key, value));
            return out.toString();
        }
    }
}

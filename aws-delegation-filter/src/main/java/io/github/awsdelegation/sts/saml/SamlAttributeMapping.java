package io.github.awsdelegation.sts.saml;

import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One attribute of the assertion and where its values come from, as Auth0's AWS add-on {@code mappings} did
 * ({@code "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": "awsGroup"}).
 *
 * <p>The source is a field of the verified identity — {@code sub}, {@code email} (only a verified address),
 * {@code issuer}, {@code connection}, {@code connectionType}, {@code groups} — or a claim of the ID token,
 * written {@code claim.NAME} or just {@code NAME}. A claim holding a JSON array gives one value per element;
 * a missing claim gives no value, and the attribute is left out.
 *
 * @param name   the SAML attribute's {@code Name} (or, for session tags, the tag key)
 * @param source where the values come from
 */
public record SamlAttributeMapping(String name, String source) {

    /** The identity fields a mapping may name. */
    public static final Set<String> FIELDS = Set.of("sub", "email", "issuer", "connection", "connectionType", "groups");

    public SamlAttributeMapping {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a SAML attribute mapping needs a name");
        }
        if (source == null || source.isBlank() || source.equals("claim.")) {
            throw new IllegalArgumentException("the mapping of '" + name + "' needs a source: one of " + FIELDS
                    + ", or claim.NAME");
        }
    }

    /** Returns the values of the source for a user, in order, without nulls or empty strings. */
    public List<String> values(VerifiedIdentity identity) {
        return valuesOf(source, identity);
    }

    /** Returns the values of a source (see the class description) for a user. */
    public static List<String> valuesOf(String source, VerifiedIdentity identity) {
        Object value = switch (source) {
            case "sub" -> identity.subject();
            case "email" -> identity.email();
            case "issuer" -> identity.issuer();
            case "connection" -> identity.connectionName();
            case "connectionType" -> identity.connectionType().configName();
            case "groups" -> identity.groups();
            default -> identity.claims().get(source.startsWith("claim.") ? source.substring("claim.".length()) : source);
        };
        List<String> values = new ArrayList<>();
        if (value instanceof Collection<?> many) {
            for (Object v : many) {
                add(values, v);
            }
        } else {
            add(values, value);
        }
        return values;
    }

    private static void add(List<String> values, Object value) {
        // Objects (nested JSON) are not attribute values; the configuration maps a scalar or an array of them.
        if (value != null && !(value instanceof Map<?, ?>) && !(value instanceof Collection<?>)) {
            String s = String.valueOf(value);
            if (!s.isEmpty()) {
                values.add(s);
            }
        }
    }

    @Override
    public String toString() {
        return name + " <- " + Objects.toString(source);
    }
}

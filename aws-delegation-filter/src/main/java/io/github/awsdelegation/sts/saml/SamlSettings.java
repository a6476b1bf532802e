package io.github.awsdelegation.sts.saml;

import io.github.awsdelegation.internal.InvalidSettingException;
import io.github.awsdelegation.sts.internal.Partition;
import io.github.awsdelegation.sts.saml.internal.AwsSamlAttributes;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * What this module says as a SAML identity provider: its entity ID, its signing key, which attributes the
 * assertions carry besides AWS's own, and how long an assertion may be presented. Immutable; build with
 * {@link #builder()}, which checks everything eagerly.
 */
public final class SamlSettings {

    /** By default, an assertion must be presented within 5 minutes of being issued. */
    public static final Duration DEFAULT_ASSERTION_LIFETIME = Duration.ofMinutes(5);

    /** The shortest assertion lifetime accepted: 30 seconds. */
    public static final Duration MIN_ASSERTION_LIFETIME = Duration.ofSeconds(30);

    /** The longest assertion lifetime accepted: 1 hour (a bearer assertion should be short-lived). */
    public static final Duration MAX_ASSERTION_LIFETIME = Duration.ofHours(1);

    /** The most session tags STS accepts: {@value}. */
    public static final int MAX_PRINCIPAL_TAGS = 50;

    /** The longest entity ID SAML allows: {@value} characters (SAML 2.0 Metadata §2.3.2). */
    public static final int MAX_ENTITY_ID_LENGTH = 1024;

    // IAM tag keys: 1-128 characters of letters, spaces, digits and _.:/=+-@ (and not starting with aws:).
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");

    private final String entityId;
    private final SamlSigningKey signingKey;
    private final List<SamlAttributeMapping> attributes;
    private final List<SamlAttributeMapping> principalTags;
    private final List<String> transitiveTagKeys;
    private final String sourceIdentity;
    private final Duration assertionLifetime;
    private final Region signInRegion;

    private SamlSettings(Builder b) {
        this.entityId = checkEntityId(b.entityId);
        this.signingKey = Objects.requireNonNull(b.signingKey, "signingKey: set the key that signs assertions");
        this.attributes = List.copyOf(b.attributes);
        this.principalTags = List.copyOf(b.principalTags);
        this.transitiveTagKeys = List.copyOf(b.transitiveTagKeys);
        this.sourceIdentity = b.sourceIdentity;
        this.assertionLifetime = b.assertionLifetime;
        this.signInRegion = b.signInRegion;
        if (assertionLifetime.compareTo(MIN_ASSERTION_LIFETIME) < 0 || assertionLifetime.compareTo(MAX_ASSERTION_LIFETIME) > 0) {
            throw new InvalidSettingException("assertionLifetime", "assertionLifetime " + assertionLifetime + " is outside 30 seconds to 1 hour");
        }
        Set<String> names = new LinkedHashSet<>();
        for (SamlAttributeMapping a : attributes) {
            if (a.name().startsWith(AwsSamlAttributes.PREFIX)) {
                throw new InvalidSettingException("attributes", "attribute '" + a.name() + "' is one of AWS's own: the module sets Role, "
                        + "RoleSessionName and SessionDuration itself; use principalTags, transitiveTagKeys and sourceIdentity "
                        + "for the others");
            }
            if (!names.add(a.name())) {
                throw new InvalidSettingException("attributes", "attribute '" + a.name() + "' is mapped twice");
            }
        }
        if (principalTags.size() > MAX_PRINCIPAL_TAGS) {
            throw new InvalidSettingException("principalTags", principalTags.size() + " principal tags; STS accepts at most " + MAX_PRINCIPAL_TAGS);
        }
        Set<String> tagKeys = new LinkedHashSet<>();
        for (SamlAttributeMapping t : principalTags) {
            if (!TAG_KEY.matcher(t.name()).matches() || t.name().toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw new InvalidSettingException("principalTags", "principal tag key '" + t.name() + "' is not a valid IAM tag key "
                        + "(1-128 letters, digits, spaces and _.:/=+-@, not starting with aws:)");
            }
            if (!tagKeys.add(t.name().toLowerCase(Locale.ROOT))) {
                throw new InvalidSettingException("principalTags", "principal tag key '" + t.name() + "' is given twice (tag keys are case-insensitive)");
            }
        }
        for (String key : transitiveTagKeys) {
            if (!tagKeys.contains(key.toLowerCase(Locale.ROOT))) {
                throw new InvalidSettingException("transitiveTagKeys", "transitive tag key '" + key + "' is not one of the principal tags " + tagKeys);
            }
        }
        if (signInRegion != null && Partition.ofRegion(signInRegion) != Partition.AWS) {
            throw new InvalidSettingException("signInRegion", "signInRegion " + signInRegion + ": regional sign-in endpoints are used in the "
                    + "aws partition only; leave it unset");
        }
    }

    private static String checkEntityId(String entityId) {
        if (entityId == null || entityId.isBlank()) {
            throw new InvalidSettingException("entityId", "entityId is missing: set this identity provider's entity ID, e.g. "
                    + "https://shop.example.com/saml (it is the Issuer of every assertion and must not change)");
        }
        if (entityId.length() > MAX_ENTITY_ID_LENGTH) {
            throw new InvalidSettingException("entityId", "entityId is longer than " + MAX_ENTITY_ID_LENGTH + " characters");
        }
        try {
            if (!new URI(entityId).isAbsolute()) {
                throw new InvalidSettingException("entityId", "entityId '" + entityId + "' must be an absolute URI (https://... or urn:...)");
            }
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("entityId", "entityId '" + entityId + "' is not a URI: " + e.getReason(), e);
        }
        return entityId;
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the entity ID: the metadata's {@code entityID} and every assertion's {@code Issuer}. */
    public String entityId() {
        return entityId;
    }

    /** Returns the signing key and the certificates published for it. */
    public SamlSigningKey signingKey() {
        return signingKey;
    }

    /** Returns the further attributes every assertion carries, when the user has values for them. */
    public List<SamlAttributeMapping> attributes() {
        return attributes;
    }

    /** Returns the session tags: the mapping's name is the tag key. */
    public List<SamlAttributeMapping> principalTags() {
        return principalTags;
    }

    /** Returns the keys of the session tags that pass on through role chaining. */
    public List<String> transitiveTagKeys() {
        return transitiveTagKeys;
    }

    /** Returns the source of the source identity, or {@code null} for none. */
    public String sourceIdentity() {
        return sourceIdentity;
    }

    /** Returns how long an assertion may be presented after it was issued. */
    public Duration assertionLifetime() {
        return assertionLifetime;
    }

    /** Returns the region of the regional sign-in endpoint to use in the {@code aws} partition, or {@code null} for the global one. */
    public Region signInRegion() {
        return signInRegion;
    }

    /**
     * Returns where assertions for a partition are sent and what their {@code Recipient} is: the regional
     * sign-in endpoint when one is configured for the partition, else the partition's global one.
     */
    public URI signInUrl(Partition partition) {
        return signInRegion != null && partition.contains(signInRegion) ? partition.samlSignInUrl(signInRegion)
                : partition.samlSignInUrl();
    }

    @Override
    public String toString() {
        return "SamlSettings[entityId=" + entityId + ", signingKey=" + signingKey + ", attributes=" + attributes
                + ", principalTags=" + principalTags + ", sourceIdentity=" + sourceIdentity + ", assertionLifetime="
                + assertionLifetime + "]";
    }

    /** Builds {@link SamlSettings}. */
    public static final class Builder {

        private String entityId;
        private SamlSigningKey signingKey;
        private final List<SamlAttributeMapping> attributes = new ArrayList<>();
        private final List<SamlAttributeMapping> principalTags = new ArrayList<>();
        private final List<String> transitiveTagKeys = new ArrayList<>();
        private String sourceIdentity;
        private Duration assertionLifetime = DEFAULT_ASSERTION_LIFETIME;
        private Region signInRegion;

        private Builder() {
        }

        /** Sets the entity ID, an absolute URI. Required; it must not change once IAM knows it. */
        public Builder entityId(String entityId) {
            this.entityId = entityId;
            return this;
        }

        /** Sets the signing key. Required. */
        public Builder signingKey(SamlSigningKey signingKey) {
            this.signingKey = signingKey;
            return this;
        }

        /** Adds an attribute mapping ({@code urn:oid:1.3.6.1.4.1.5923.1.1.1.1} ← {@code groups}). By default, none. */
        public Builder attribute(String name, String source) {
            attributes.add(new SamlAttributeMapping(name, source));
            return this;
        }

        /** Adds a session tag ({@code PrincipalTag:<key>}) with the source of its value. By default, none. */
        public Builder principalTag(String key, String source) {
            principalTags.add(new SamlAttributeMapping(key, source));
            return this;
        }

        /** Sets the transitive tag keys, each one of the principal tags. By default, none. */
        public Builder transitiveTagKeys(Collection<String> keys) {
            transitiveTagKeys.clear();
            transitiveTagKeys.addAll(keys);
            return this;
        }

        /** Sets the source of the source identity (e.g. {@code email}). By default, none. */
        public Builder sourceIdentity(String source) {
            if (source != null) {
                new SamlAttributeMapping(AwsSamlAttributes.SOURCE_IDENTITY, source); // checks the source
            }
            this.sourceIdentity = source;
            return this;
        }

        /** Sets how long an assertion may be presented, 30 seconds to 1 hour. By default, 5 minutes. */
        public Builder assertionLifetime(Duration lifetime) {
            this.assertionLifetime = Objects.requireNonNull(lifetime, "assertionLifetime");
            return this;
        }

        /** Uses the regional sign-in endpoint of this {@code aws} region. By default, the global endpoint. */
        public Builder signInRegion(Region region) {
            this.signInRegion = region;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @throws IllegalArgumentException naming the setting at fault
         */
        public SamlSettings build() {
            return new SamlSettings(this);
        }
    }
}

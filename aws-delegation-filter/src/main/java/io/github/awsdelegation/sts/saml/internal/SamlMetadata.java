package io.github.awsdelegation.sts.saml.internal;

import io.github.awsdelegation.sts.saml.SamlSettings;
import io.github.awsdelegation.sts.saml.internal.MetadataWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This module's SAML 2.0 identity provider metadata, the document an administrator uploads to IAM to create
 * the SAML provider ({@code aws iam create-saml-provider --saml-metadata-document file://metadata.xml}): the
 * entity ID, one signing {@code KeyDescriptor} per published certificate (the current key's first, then a
 * rotation certificate), the persistent NameID format and the console sign-in endpoint as single sign-on
 * location. UTF-8 without a byte order mark, as IAM requires. Thread-safe; documents are cached for a few
 * locations (the location may come from a request's {@code Host}, so the cache is bounded).
 */
public final class SamlMetadata {

    /** The media type OASIS registered for SAML metadata: {@value}. */
    public static final String MEDIA_TYPE = "application/samlmetadata+xml";

    private static final int CACHED_LOCATIONS = 8;

    private final SamlSettings settings;
    private final Map<URI, byte[]> documents = new ConcurrentHashMap<>();

    /** Creates the metadata of the configured identity provider. */
    public SamlMetadata(SamlSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Returns the metadata document as UTF-8 bytes without a byte order mark.
     *
     * @param singleSignOnLocation the absolute URL of the console sign-in endpoint
     */
    public byte[] document(URI singleSignOnLocation) {
        if (!singleSignOnLocation.isAbsolute()) {
            throw new IllegalArgumentException("the single sign-on location must be an absolute URL, got " + singleSignOnLocation);
        }
        byte[] cached = documents.get(singleSignOnLocation);
        if (cached == null) {
            List<X509Certificate> certificates = new ArrayList<>();
            certificates.add(settings.signingKey().certificate());
            certificates.addAll(settings.signingKey().rotationCertificates());
            cached = MetadataWriter.write(settings.entityId(), certificates, singleSignOnLocation.toString())
                    .getBytes(StandardCharsets.UTF_8);
            if (documents.size() < CACHED_LOCATIONS) {
                documents.put(singleSignOnLocation, cached);
            }
        }
        return cached.clone();
    }

    /** Returns the metadata document as a string. */
    public String xml(URI singleSignOnLocation) {
        return new String(document(singleSignOnLocation), StandardCharsets.UTF_8);
    }
}

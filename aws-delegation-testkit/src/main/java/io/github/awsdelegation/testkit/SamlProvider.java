package io.github.awsdelegation.testkit;

import io.github.awsdelegation.testkit.internal.SecureXml;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * An IAM SAML identity provider registered at {@link LocalSts}, as IAM CreateSAMLProvider makes it from the IdP's
 * metadata: its ARN and name, the metadata's {@code entityID} and the signing certificates of its
 * {@code IDPSSODescriptor} (key descriptors with {@code use="signing"} or no {@code use}).
 */
record SamlProvider(String arn, String accountId, String name, String entityId, List<X509Certificate> certificates) {

    static final String METADATA_NS = "urn:oasis:names:tc:SAML:2.0:metadata";
    static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
    private static final Pattern ARN = Pattern.compile("arn:aws:iam::(\\d{12}):saml-provider/([\\w.-]{1,128})");

    SamlProvider {
        certificates = List.copyOf(certificates);
    }

    /**
     * Reads a provider from its metadata, as IAM does.
     *
     * @throws IllegalArgumentException with IAM's "Could not parse metadata" and the reason
     */
    static SamlProvider parse(String arn, String metadataXml) {
        Matcher m = arn == null ? null : ARN.matcher(arn);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("LocalSts samlProvider: '" + arn + "' is not an IAM SAML provider ARN "
                    + "(arn:aws:iam::<12-digit account>:saml-provider/<name>)");
        }
        byte[] bytes = metadataXml.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf
                || metadataXml.startsWith("\uFEFF")) {
            throw new IllegalArgumentException("Could not parse metadata: it starts with a byte order mark; IAM needs UTF-8 without BOM");
        }
        Document doc;
        try {
            doc = SecureXml.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Could not parse metadata: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!METADATA_NS.equals(root.getNamespaceURI()) || !"EntityDescriptor".equals(root.getLocalName())) {
            throw new IllegalArgumentException("Could not parse metadata: the root element is not md:EntityDescriptor");
        }
        String entityId = SecureXml.attribute(root, "entityID");
        if (entityId == null || entityId.isBlank()) {
            throw new IllegalArgumentException("Could not parse metadata: EntityDescriptor has no entityID");
        }
        Element idp = SecureXml.child(root, METADATA_NS, "IDPSSODescriptor");
        if (idp == null) {
            throw new IllegalArgumentException("Could not parse metadata: no IDPSSODescriptor");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Element descriptor : SecureXml.children(idp, METADATA_NS, "KeyDescriptor")) {
            String use = SecureXml.attribute(descriptor, "use");
            if (use != null && !use.equals("signing")) {
                continue;
            }
            Element keyInfo = SecureXml.child(descriptor, DSIG_NS, "KeyInfo");
            Element data = keyInfo == null ? null : SecureXml.child(keyInfo, DSIG_NS, "X509Data");
            if (data == null) {
                continue;
            }
            for (Element c : SecureXml.children(data, DSIG_NS, "X509Certificate")) {
                certificates.add(certificate(SecureXml.text(c)));
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("Could not parse metadata: no signing certificate in the IDPSSODescriptor");
        }
        return new SamlProvider(arn, m.group(1), m.group(2), entityId, certificates);
    }

    private static X509Certificate certificate(String base64) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getMimeDecoder().decode(base64)));
            if (!(certificate.getPublicKey() instanceof RSAPublicKey)) {
                throw new IllegalArgumentException("Could not parse metadata: LocalSts verifies RSA signing certificates only");
            }
            return certificate;
        } catch (CertificateException | IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Could not parse metadata")) {
                throw (IllegalArgumentException) e;
            }
            throw new IllegalArgumentException("Could not parse metadata: a signing certificate is not X.509 DER in base64", e);
        }
    }

    @Override
    public String toString() {
        return "SamlProvider[" + arn + ", entityId=" + entityId + ", certificates=" + certificates.size() + "]";
    }

    /** Returns STS's {@code NameQualifier}: {@code BASE64(SHA1(issuer + accountId + "/" + providerName))}. */
    static String nameQualifier(String issuer, String accountId, String providerName) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((issuer + accountId + "/" + providerName).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

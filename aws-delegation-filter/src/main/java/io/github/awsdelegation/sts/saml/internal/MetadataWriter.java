package io.github.awsdelegation.sts.saml.internal;

import io.github.awsdelegation.sts.saml.internal.AwsSamlAttributes;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.metadata.EntityDescriptor;
import org.opensaml.saml.saml2.metadata.IDPSSODescriptor;
import org.opensaml.saml.saml2.metadata.KeyDescriptor;
import org.opensaml.saml.saml2.metadata.NameIDFormat;
import org.opensaml.saml.saml2.metadata.SingleSignOnService;
import org.opensaml.security.credential.UsageType;
import org.opensaml.xmlsec.signature.KeyInfo;
import org.opensaml.xmlsec.signature.X509Data;

/**
 * Renders SAML 2.0 IdP metadata: the entity ID, one signing {@code KeyDescriptor} per published certificate,
 * the persistent NameID format and the single sign-on location. Unsigned: IAM reads it once, from the
 * administrator's upload.
 */
public final class MetadataWriter {

    private MetadataWriter() {
    }

    /**
     * Returns the metadata document.
     *
     * @param entityId     the entity ID
     * @param certificates the signing certificates, the current one first
     * @param ssoLocation  the single sign-on endpoint (console sign-in)
     */
    public static String write(String entityId, List<X509Certificate> certificates, String ssoLocation) {
        OpenSaml.initialize();
        EntityDescriptor entity = OpenSaml.build(EntityDescriptor.DEFAULT_ELEMENT_NAME);
        entity.setEntityID(entityId);
        IDPSSODescriptor idp = OpenSaml.build(IDPSSODescriptor.DEFAULT_ELEMENT_NAME);
        idp.addSupportedProtocol(SAMLConstants.SAML20P_NS);
        idp.setWantAuthnRequestsSigned(false);
        for (X509Certificate certificate : certificates) {
            idp.getKeyDescriptors().add(keyDescriptor(certificate));
        }
        NameIDFormat format = OpenSaml.build(NameIDFormat.DEFAULT_ELEMENT_NAME);
        format.setURI(AwsSamlAttributes.PERSISTENT_NAME_ID);
        idp.getNameIDFormats().add(format);
        for (String binding : List.of(SAMLConstants.SAML2_REDIRECT_BINDING_URI, SAMLConstants.SAML2_POST_BINDING_URI)) {
            SingleSignOnService sso = OpenSaml.build(SingleSignOnService.DEFAULT_ELEMENT_NAME);
            sso.setBinding(binding);
            sso.setLocation(ssoLocation);
            idp.getSingleSignOnServices().add(sso);
        }
        entity.getRoleDescriptors().add(idp);
        return OpenSaml.serialize(OpenSaml.marshall(entity));
    }

    private static KeyDescriptor keyDescriptor(X509Certificate certificate) {
        org.opensaml.xmlsec.signature.X509Certificate element =
                OpenSaml.build(org.opensaml.xmlsec.signature.X509Certificate.DEFAULT_ELEMENT_NAME);
        try {
            element.setValue(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the signing certificate: " + e.getMessage(), e);
        }
        X509Data data = OpenSaml.build(X509Data.DEFAULT_ELEMENT_NAME);
        data.getX509Certificates().add(element);
        KeyInfo keyInfo = OpenSaml.build(KeyInfo.DEFAULT_ELEMENT_NAME);
        keyInfo.getX509Datas().add(data);
        KeyDescriptor descriptor = OpenSaml.build(KeyDescriptor.DEFAULT_ELEMENT_NAME);
        descriptor.setUse(UsageType.SIGNING);
        descriptor.setKeyInfo(keyInfo);
        return descriptor;
    }
}

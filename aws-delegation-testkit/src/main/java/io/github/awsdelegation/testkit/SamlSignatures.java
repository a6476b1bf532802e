package io.github.awsdelegation.testkit;

import io.github.awsdelegation.testkit.internal.SecureXml;
import io.github.awsdelegation.testkit.internal.StsError;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.crypto.MarshalException;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureException;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The XML signature part of {@link SamlAssertionVerifier}, with the JDK's XML signature API only: unique IDs, only
 * the Response's and the Assertion's IDs registered, and one enveloped signature of either, made with a key of the
 * IAM SAML provider's metadata (never one the document brings), whose single reference is its own parent, with
 * RSA-SHA256/384/512, a SHA-2 digest and only the enveloped-signature and canonicalisation transforms.
 */
final class SamlSignatures {

    private static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
    private static final Set<String> SIGNATURE_METHODS = Set.of("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512");
    private static final Set<String> DIGEST_METHODS = Set.of(DigestMethod.SHA256, DigestMethod.SHA384, DigestMethod.SHA512);
    private static final Set<String> CANONICALIZATIONS = Set.of(CanonicalizationMethod.EXCLUSIVE,
            CanonicalizationMethod.EXCLUSIVE_WITH_COMMENTS, CanonicalizationMethod.INCLUSIVE);
    private static final Set<String> TRANSFORMS = Set.of(Transform.ENVELOPED, CanonicalizationMethod.EXCLUSIVE,
            CanonicalizationMethod.EXCLUSIVE_WITH_COMMENTS, CanonicalizationMethod.INCLUSIVE);
    private static final String INVALID_SIGNATURE = "Response signature invalid";

    private SamlSignatures() {
    }

    // Two elements with one ID is how signature wrapping hides a forged element behind a signed one.
    static void checkUniqueIds(Document doc) {
        Set<String> ids = new HashSet<>();
        NodeList elements = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < elements.getLength(); i++) {
            Element e = (Element) elements.item(i);
            for (String name : List.of("ID", "Id", "id")) {
                String id = SecureXml.attribute(e, name);
                if (id != null && !ids.add(id)) {
                    throw StsError.invalidIdentityToken("The SAML response has two elements with the ID '" + id + "'.");
                }
            }
        }
    }

    static void registerId(Element element) {
        String id = SecureXml.attribute(element, "ID");
        if (id == null || id.isBlank()) {
            throw StsError.invalidIdentityToken("The SAML " + element.getLocalName() + " has no ID.");
        }
        element.setIdAttributeNS(null, "ID", true);
    }

    static void verify(Element response, Element assertion, List<X509Certificate> certificates) {
        List<Element> candidates = new ArrayList<>();
        for (Element signed : List.of(assertion, response)) {
            List<Element> signatures = SecureXml.children(signed, DSIG_NS, "Signature");
            if (signatures.size() > 1) {
                throw StsError.invalidIdentityToken(INVALID_SIGNATURE);
            }
            candidates.addAll(signatures);
        }
        if (candidates.isEmpty()) {
            throw StsError.invalidIdentityToken(INVALID_SIGNATURE + ": neither the Assertion nor the Response is signed");
        }
        XMLSignatureFactory factory = XMLSignatureFactory.getInstance("DOM");
        for (Element signatureElement : candidates) {
            Element signed = (Element) signatureElement.getParentNode();
            for (X509Certificate certificate : certificates) {
                // The key comes from the provider's metadata only; the signature's own KeyInfo is ignored.
                DOMValidateContext context = new DOMValidateContext(certificate.getPublicKey(), signatureElement);
                context.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
                try {
                    XMLSignature signature = factory.unmarshalXMLSignature(context);
                    checkProfile(signature, SecureXml.attribute(signed, "ID"));
                    if (signature.validate(context)) {
                        return;
                    }
                } catch (MarshalException | XMLSignatureException | ClassCastException e) {
                    // Not a signature this key verifies; try the next certificate.
                }
            }
        }
        throw StsError.invalidIdentityToken(INVALID_SIGNATURE);
    }

    private static void checkProfile(XMLSignature signature, String parentId) {
        var info = signature.getSignedInfo();
        if (!SIGNATURE_METHODS.contains(info.getSignatureMethod().getAlgorithm())) {
            throw StsError.invalidIdentityToken(INVALID_SIGNATURE + ": LocalSts accepts RSA-SHA256, RSA-SHA384 and RSA-SHA512"
                    + " signatures, not " + info.getSignatureMethod().getAlgorithm());
        }
        if (!CANONICALIZATIONS.contains(info.getCanonicalizationMethod().getAlgorithm())) {
            throw StsError.invalidIdentityToken(INVALID_SIGNATURE);
        }
        if (info.getReferences().size() != 1) {
            throw StsError.invalidIdentityToken(INVALID_SIGNATURE + ": the signature must have exactly one reference");
        }
        Reference reference = (Reference) info.getReferences().get(0);
        if (!("#" + parentId).equals(reference.getURI())) {
            throw StsError.invalidIdentityToken(INVALID_SIGNATURE + ": the reference must be the signed element's own ID");
        }
        if (!DIGEST_METHODS.contains(reference.getDigestMethod().getAlgorithm())) {
            throw StsError.invalidIdentityToken(INVALID_SIGNATURE + ": LocalSts accepts SHA-256/384/512 digests only");
        }
        for (Object t : reference.getTransforms()) {
            if (!TRANSFORMS.contains(((Transform) t).getAlgorithm())) {
                throw StsError.invalidIdentityToken(INVALID_SIGNATURE + ": transform " + ((Transform) t).getAlgorithm()
                        + " is not allowed");
            }
        }
    }
}

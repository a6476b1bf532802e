package io.github.awsdelegation.sts.saml;

import java.security.PublicKey;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import org.w3c.dom.Element;

/** Verifies an assertion's enveloped signature with the JDK's XML signature API, independently of OpenSAML. */
final class JdkSignatureCheck {

    private JdkSignatureCheck() {
    }

    /** Returns whether the assertion's signature verifies with the key (the assertion's ID registered as ID). */
    static boolean verifies(SamlXml xml, PublicKey key) {
        try {
            Element assertion = xml.element("/samlp:Response/saml:Assertion");
            assertion.setIdAttributeNS(null, "ID", true);
            Element signature = xml.element("/samlp:Response/saml:Assertion/ds:Signature");
            DOMValidateContext context = new DOMValidateContext(key, signature);
            context.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
            XMLSignature s = XMLSignatureFactory.getInstance("DOM").unmarshalXMLSignature(context);
            return s.validate(context);
        } catch (Exception e) {
            throw new AssertionError("signature check failed: " + e, e);
        }
    }
}

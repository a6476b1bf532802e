package io.github.awsdelegation.cli;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads the roles a SAML response offers. The client does not verify the signature: it only chooses which role to ask
 * STS for, and STS verifies the response. The parser is hardened all the same (no DOCTYPE, no external entities).
 */
final class SamlResponseRoles {

    static final String ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role";
    private static final String SAML_ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";

    private SamlResponseRoles() {
    }

    /** Returns the roles of a base64-encoded SAML response, in the order the response lists them. */
    static List<SamlRole> of(String encodedResponse) {
        Document document;
        try {
            byte[] xml = Base64.getMimeDecoder().decode(encodedResponse);
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            document = builder.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new CliException("the app's SAML response cannot be read: " + e.getMessage(), e);
        }
        List<SamlRole> roles = new ArrayList<>();
        NodeList attributes = document.getElementsByTagNameNS(SAML_ASSERTION_NS, "Attribute");
        for (int i = 0; i < attributes.getLength(); i++) {
            Element attribute = (Element) attributes.item(i);
            if (!ROLE_ATTRIBUTE.equals(attribute.getAttribute("Name"))) {
                continue;
            }
            NodeList values = attribute.getElementsByTagNameNS(SAML_ASSERTION_NS, "AttributeValue");
            for (int j = 0; j < values.getLength(); j++) {
                try {
                    roles.add(SamlRole.parse(values.item(j).getTextContent()));
                } catch (IllegalArgumentException e) {
                    throw new CliException("the app's SAML response offers a role the client cannot read: " + e.getMessage(), e);
                }
            }
        }
        return roles;
    }
}

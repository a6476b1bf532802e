package io.github.awsdelegation.testkit.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Parses untrusted XML (SAML responses, IdP metadata) with the JDK's DOM parser hardened against the known XML
 * attacks: no DOCTYPE at all (so no entity expansion and no external entities), no external DTDs or schemas, no
 * XInclude, secure processing limits. Namespace-aware, and no attribute is an ID until a caller registers it.
 */
public final class SecureXml {

    private SecureXml() {
    }

    /**
     * Parses a document.
     *
     * @throws IllegalArgumentException when it is not well-formed XML or has a DOCTYPE
     */
    public static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // no stderr noise; errors still throw
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be hardened: " + e.getMessage(), e);
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("not well-formed XML, or it has a DOCTYPE: " + e.getMessage(), e);
        }
    }

    /** Returns the element children of {@code parent} with this namespace and local name, in document order. */
    public static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && namespace.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    /** Returns the only such child, or {@code null} when there is none; more than one is an error. */
    public static Element child(Element parent, String namespace, String localName) {
        List<Element> found = children(parent, namespace, localName);
        if (found.size() > 1) {
            throw new IllegalArgumentException("more than one " + localName + " in " + parent.getLocalName());
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** Returns the element's text with surrounding white space removed, or {@code null} for no element. */
    public static String text(Element element) {
        return element == null ? null : element.getTextContent().trim();
    }

    /** Returns an attribute's value (no namespace), or {@code null} when it is absent. */
    public static String attribute(Element element, String name) {
        return element != null && element.hasAttributeNS(null, name) ? element.getAttributeNS(null, name) : null;
    }
}

package io.github.awsdelegation.sts.saml;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Reads SAML documents in tests with the JDK's own XML APIs (independent of OpenSAML): parse, XPath. */
public final class SamlXml {

    /** The prefixes the tests' XPath expressions use. */
    public static final Map<String, String> NAMESPACES = Map.of(
            "samlp", "urn:oasis:names:tc:SAML:2.0:protocol",
            "saml", "urn:oasis:names:tc:SAML:2.0:assertion",
            "md", "urn:oasis:names:tc:SAML:2.0:metadata",
            "ds", "http://www.w3.org/2000/09/xmldsig#",
            "ec", "http://www.w3.org/2001/10/xml-exc-c14n#");

    private final Document document;
    private final XPath xpath;

    private SamlXml(Document document) {
        this.document = document;
        this.xpath = XPathFactory.newInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return NAMESPACES.get(prefix);
            }

            @Override
            public String getPrefix(String namespaceURI) {
                return null;
            }

            @Override
            public Iterator<String> getPrefixes(String namespaceURI) {
                return List.<String>of().iterator();
            }
        });
    }

    /** Parses a document (no DOCTYPE allowed). */
    public static SamlXml parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return new SamlXml(factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
        } catch (Exception e) {
            throw new AssertionError("not parseable XML: " + e.getMessage(), e);
        }
    }

    /** Returns the document. */
    public Document document() {
        return document;
    }

    /** Returns the string value of an XPath expression. */
    public String text(String expression) {
        try {
            return xpath.evaluate(expression, document).trim();
        } catch (Exception e) {
            throw new AssertionError(expression + ": " + e.getMessage(), e);
        }
    }

    /** Returns the nodes an XPath expression selects. */
    public List<Node> nodes(String expression) {
        try {
            NodeList list = (NodeList) xpath.evaluate(expression, document, XPathConstants.NODESET);
            List<Node> out = new ArrayList<>();
            for (int i = 0; i < list.getLength(); i++) {
                out.add(list.item(i));
            }
            return out;
        } catch (Exception e) {
            throw new AssertionError(expression + ": " + e.getMessage(), e);
        }
    }

    /** Returns the text values of an XPath expression's nodes. */
    public List<String> texts(String expression) {
        return nodes(expression).stream().map(n -> n.getTextContent().trim()).toList();
    }

    /** Returns the values of a SAML attribute of the assertion. */
    public List<String> attribute(String name) {
        return texts("//saml:Attribute[@Name='" + name + "']/saml:AttributeValue");
    }

    /** Returns the one element an XPath expression selects. */
    public Element element(String expression) {
        List<Node> found = nodes(expression);
        if (found.size() != 1) {
            throw new AssertionError(expression + " selects " + found.size() + " nodes");
        }
        return (Element) found.get(0);
    }
}

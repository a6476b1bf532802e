package io.github.awsdelegation.sts.saml.internal;

import java.util.List;
import javax.xml.namespace.QName;
import net.shibboleth.utilities.java.support.xml.SerializeSupport;
import org.opensaml.core.config.InitializationException;
import org.opensaml.core.config.Initializer;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.XMLObjectBuilder;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.io.Marshaller;
import org.opensaml.core.xml.io.MarshallingException;
import org.w3c.dom.Element;

/** OpenSAML's global set-up, done once per class loader, and the few generic operations the writers need. */
final class OpenSaml {

    private static boolean initialized;

    // What building, signing and writing assertions and metadata needs, in dependency order. Not
    // InitializationService.initialize(), which runs every Initializer on the class path: OpenSAML's own include
    // a Dropwizard MetricRegistry (metrics-core), the HttpClient TLS and client security configurations (Apache
    // HttpClient 4), SOAP 1.1 objects and a decryption parser pool, none of which this module uses; those libraries
    // are left out of its dependencies (docs/dependencies.md).
    private static List<Initializer> initializers() {
        return List.of(
                new org.opensaml.core.xml.config.XMLObjectProviderInitializer(),
                new org.opensaml.core.xml.config.GlobalParserPoolInitializer(),
                new org.opensaml.xmlsec.config.GlobalAlgorithmRegistryInitializer(),
                new org.opensaml.xmlsec.config.impl.JavaCryptoValidationInitializer(),
                new org.opensaml.xmlsec.config.impl.XMLObjectProviderInitializer(),
                new org.opensaml.xmlsec.config.impl.ApacheXMLSecurityInitializer(),
                new org.opensaml.xmlsec.config.impl.GlobalSecurityConfigurationInitializer(),
                new org.opensaml.saml.config.impl.XMLObjectProviderInitializer(),
                new org.opensaml.saml.config.impl.SAMLConfigurationInitializer());
    }

    private OpenSaml() {
    }

    /**
     * Initialises OpenSAML (its XML object providers and the Santuario library) once.
     *
     * @throws IllegalStateException when it cannot be initialised (a class path problem)
     */
    static synchronized void initialize() {
        if (initialized) {
            return;
        }
        try {
            for (Initializer initializer : initializers()) {
                initializer.init();
            }
        } catch (InitializationException e) {
            throw new IllegalStateException("OpenSAML cannot be initialised: " + e.getMessage(), e);
        }
        initialized = true;
    }

    /** Builds an XML object with its default element name. */
    @SuppressWarnings("unchecked")
    static <T extends XMLObject> T build(QName elementName) {
        XMLObjectBuilder<?> builder = XMLObjectProviderRegistrySupport.getBuilderFactory().getBuilder(elementName);
        if (builder == null) {
            throw new IllegalStateException("OpenSAML has no builder for " + elementName + "; was it initialised?");
        }
        return (T) builder.buildObject(elementName);
    }

    /** Builds an XML object of a schema type under an element name (an {@code AttributeValue} of type {@code xs:string}). */
    @SuppressWarnings("unchecked")
    static <T extends XMLObject> T build(QName elementName, QName type) {
        XMLObjectBuilder<?> builder = XMLObjectProviderRegistrySupport.getBuilderFactory().getBuilder(type);
        if (builder == null) {
            throw new IllegalStateException("OpenSAML has no builder for " + type + "; was it initialised?");
        }
        return (T) builder.buildObject(elementName, type);
    }

    /** Marshals an object (and its children) to DOM. */
    static Element marshall(XMLObject object) {
        Marshaller marshaller = XMLObjectProviderRegistrySupport.getMarshallerFactory().getMarshaller(object);
        try {
            return marshaller.marshall(object);
        } catch (MarshallingException e) {
            throw new IllegalStateException("cannot marshal " + object.getElementQName() + ": " + e.getMessage(), e);
        }
    }

    /** Serialises an element as an XML document (with declaration), without pretty-printing, which would break signatures. */
    static String serialize(Element element) {
        return SerializeSupport.nodeToString(element);
    }
}

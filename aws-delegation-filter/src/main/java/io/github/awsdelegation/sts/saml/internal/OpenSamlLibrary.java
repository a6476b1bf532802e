package io.github.awsdelegation.sts.saml.internal;

/**
 * Whether OpenSAML and Santuario are on the class path. The filter declares them optional: an app that configures
 * {@code saml:} adds {@code io.github.awsdelegation:aws-delegation-saml} (type pom). This class refers to neither
 * library, so asking never fails; the classes that use them ({@code OpenSaml}, {@code SignedResponseWriter},
 * {@code MetadataWriter}) are loaded only after the answer was yes.
 */
public final class OpenSamlLibrary {

    /** The dependency that brings the libraries, for messages. */
    public static final String DEPENDENCY = "io.github.awsdelegation:aws-delegation-saml (type pom)";

    private OpenSamlLibrary() {
    }

    /** Returns whether OpenSAML (SAML objects) and Santuario (XML signatures) can be loaded by the filter's class loader. */
    public static boolean available() {
        ClassLoader loader = OpenSamlLibrary.class.getClassLoader();
        try {
            Class.forName("org.opensaml.saml.saml2.core.Assertion", false, loader);
            Class.forName("org.opensaml.xmlsec.signature.support.Signer", false, loader);
            Class.forName("org.apache.xml.security.Init", false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}

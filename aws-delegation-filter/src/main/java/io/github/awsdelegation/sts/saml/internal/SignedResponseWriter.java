package io.github.awsdelegation.sts.saml.internal;

import io.github.awsdelegation.sts.saml.internal.AwsSamlAttributes;
import io.github.awsdelegation.sts.saml.SamlSigningKey;
import java.util.List;
import java.util.Map;
import org.opensaml.core.xml.schema.XSString;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Attribute;
import org.opensaml.saml.saml2.core.AttributeStatement;
import org.opensaml.saml.saml2.core.AttributeValue;
import org.opensaml.saml.saml2.core.Audience;
import org.opensaml.saml.saml2.core.AudienceRestriction;
import org.opensaml.saml.saml2.core.AuthnContext;
import org.opensaml.saml.saml2.core.AuthnContextClassRef;
import org.opensaml.saml.saml2.core.AuthnStatement;
import org.opensaml.saml.saml2.core.Conditions;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.NameIDType;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.Status;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.Subject;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.core.SubjectConfirmationData;
import org.opensaml.security.SecurityException;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.SignatureSigningParameters;
import org.opensaml.xmlsec.keyinfo.impl.X509KeyInfoGeneratorFactory;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.opensaml.xmlsec.signature.support.SignatureException;
import org.opensaml.xmlsec.signature.support.SignatureSupport;
import org.opensaml.xmlsec.signature.support.Signer;
import org.w3c.dom.Element;

/**
 * Renders a {@link ResponseContent} as a SAML 2.0 {@code Response} whose {@code Assertion} is signed with
 * RSA-SHA256, a SHA-256 digest and exclusive canonicalisation, the signature carrying the signing certificate.
 * Thread-safe.
 */
public final class SignedResponseWriter {

    /** The AuthnContext class: the module does not know how the provider authenticated the user. */
    static final String AUTHN_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified";

    private final SignatureSigningParameters parameters;

    /** Creates a writer that signs with the key. */
    public SignedResponseWriter(SamlSigningKey key) {
        OpenSaml.initialize();
        BasicX509Credential credential = new BasicX509Credential(key.certificate(), key.privateKey());
        X509KeyInfoGeneratorFactory keyInfo = new X509KeyInfoGeneratorFactory();
        keyInfo.setEmitEntityCertificate(true);
        SignatureSigningParameters p = new SignatureSigningParameters();
        p.setSigningCredential(credential);
        p.setSignatureAlgorithm(SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256);
        p.setSignatureReferenceDigestMethod(SignatureConstants.ALGO_ID_DIGEST_SHA256);
        p.setSignatureCanonicalizationAlgorithm(SignatureConstants.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        p.setSignatureReferenceCanonicalizationAlgorithm(SignatureConstants.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        p.setKeyInfoGenerator(keyInfo.newInstance());
        this.parameters = p;
    }

    /** Returns the signed response as an XML document (UTF-8 when encoded, no pretty-printing). */
    public String write(ResponseContent content) {
        Assertion assertion = assertion(content);
        Response response = OpenSaml.build(Response.DEFAULT_ELEMENT_NAME);
        response.setID(content.responseId());
        response.setVersion(SAMLVersion.VERSION_20);
        response.setIssueInstant(content.issueInstant());
        response.setDestination(content.recipient());
        response.setIssuer(issuer(content.issuer()));
        Status status = OpenSaml.build(Status.DEFAULT_ELEMENT_NAME);
        StatusCode code = OpenSaml.build(StatusCode.DEFAULT_ELEMENT_NAME);
        code.setValue(StatusCode.SUCCESS);
        status.setStatusCode(code);
        response.setStatus(status);
        response.getAssertions().add(assertion);

        Signature signature = OpenSaml.build(Signature.DEFAULT_ELEMENT_NAME);
        assertion.setSignature(signature); // adds the reference to the assertion's ID
        try {
            SignatureSupport.prepareSignatureParams(signature, parameters);
            Element element = OpenSaml.marshall(response);
            Signer.signObject(signature);
            return OpenSaml.serialize(element);
        } catch (SecurityException | SignatureException e) {
            throw new IllegalStateException("cannot sign the SAML assertion: " + e.getMessage(), e);
        }
    }

    private static Assertion assertion(ResponseContent content) {
        Assertion assertion = OpenSaml.build(Assertion.DEFAULT_ELEMENT_NAME);
        assertion.setID(content.assertionId());
        assertion.setVersion(SAMLVersion.VERSION_20);
        assertion.setIssueInstant(content.issueInstant());
        assertion.setIssuer(issuer(content.issuer()));

        NameID nameId = OpenSaml.build(NameID.DEFAULT_ELEMENT_NAME);
        nameId.setFormat(AwsSamlAttributes.PERSISTENT_NAME_ID);
        nameId.setValue(content.nameId());
        SubjectConfirmationData data = OpenSaml.build(SubjectConfirmationData.DEFAULT_ELEMENT_NAME);
        data.setNotOnOrAfter(content.notOnOrAfter());
        data.setRecipient(content.recipient());
        SubjectConfirmation confirmation = OpenSaml.build(SubjectConfirmation.DEFAULT_ELEMENT_NAME);
        confirmation.setMethod(SubjectConfirmation.METHOD_BEARER);
        confirmation.setSubjectConfirmationData(data);
        Subject subject = OpenSaml.build(Subject.DEFAULT_ELEMENT_NAME);
        subject.setNameID(nameId);
        subject.getSubjectConfirmations().add(confirmation);
        assertion.setSubject(subject);

        Audience audience = OpenSaml.build(Audience.DEFAULT_ELEMENT_NAME);
        audience.setURI(content.audience());
        AudienceRestriction restriction = OpenSaml.build(AudienceRestriction.DEFAULT_ELEMENT_NAME);
        restriction.getAudiences().add(audience);
        Conditions conditions = OpenSaml.build(Conditions.DEFAULT_ELEMENT_NAME);
        conditions.setNotBefore(content.issueInstant());
        conditions.setNotOnOrAfter(content.notOnOrAfter());
        conditions.getAudienceRestrictions().add(restriction);
        assertion.setConditions(conditions);

        AuthnContextClassRef classRef = OpenSaml.build(AuthnContextClassRef.DEFAULT_ELEMENT_NAME);
        classRef.setURI(AUTHN_CONTEXT);
        AuthnContext context = OpenSaml.build(AuthnContext.DEFAULT_ELEMENT_NAME);
        context.setAuthnContextClassRef(classRef);
        AuthnStatement authn = OpenSaml.build(AuthnStatement.DEFAULT_ELEMENT_NAME);
        authn.setAuthnInstant(content.authnInstant());
        authn.setSessionIndex(content.sessionIndex());
        authn.setSessionNotOnOrAfter(content.sessionNotOnOrAfter());
        authn.setAuthnContext(context);
        assertion.getAuthnStatements().add(authn);

        AttributeStatement statement = OpenSaml.build(AttributeStatement.DEFAULT_ELEMENT_NAME);
        for (Map.Entry<String, List<String>> entry : content.attributes().entrySet()) {
            Attribute attribute = OpenSaml.build(Attribute.DEFAULT_ELEMENT_NAME);
            attribute.setName(entry.getKey());
            attribute.setNameFormat(Attribute.URI_REFERENCE);
            for (String value : entry.getValue()) {
                XSString v = OpenSaml.build(AttributeValue.DEFAULT_ELEMENT_NAME, XSString.TYPE_NAME);
                v.setValue(value);
                attribute.getAttributeValues().add(v);
            }
            statement.getAttributes().add(attribute);
        }
        assertion.getAttributeStatements().add(statement);
        return assertion;
    }

    private static Issuer issuer(String entityId) {
        Issuer issuer = OpenSaml.build(Issuer.DEFAULT_ELEMENT_NAME);
        issuer.setFormat(NameIDType.ENTITY);
        issuer.setValue(entityId);
        return issuer;
    }
}

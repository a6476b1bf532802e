package io.github.awsdelegation.testkit;

import io.github.awsdelegation.testkit.internal.SecureXml;
import io.github.awsdelegation.testkit.internal.StsError;
import io.github.awsdelegation.testkit.internal.TrustPolicyEvaluator;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Verifies a SAML response as STS AssumeRoleWithSAML does, with the JDK's XML signature API only:
 * <ol>
 *   <li>the {@code SAMLAssertion} is base64 of a SAML 2.0 {@code Response} with a success status and exactly one
 *       (unencrypted) {@code Assertion}, a direct child of the response; XML is parsed without DOCTYPEs or
 *       external entities, and no two elements may share an {@code ID};</li>
 *   <li>the {@code PrincipalArn} is a registered SAML provider, and the assertion's (and response's) {@code Issuer}
 *       is its metadata's entity ID;</li>
 *   <li>a signature that is a direct child of the assertion, or of the response, verifies with a certificate of the
 *       provider's metadata (never with a key the document brings), has exactly one reference and that reference
 *       is {@code #<ID>} of its own parent, uses RSA-SHA256/384/512, a SHA-2 digest, and only the enveloped-signature
 *       and canonicalisation transforms. Only the {@code Response} and the {@code Assertion} have their {@code ID}
 *       registered, so a reference cannot point at anything else, and the assertion that is evaluated is the one
 *       that was signed (no signature wrapping);</li>
 *   <li>one bearer {@code SubjectConfirmation} whose {@code Recipient} is {@code https://signin.aws.amazon.com/saml}
 *       (or a regional {@code https://<region>.signin.aws.amazon.com/saml}) and whose {@code NotOnOrAfter} has not
 *       passed; a {@code NameID}; {@code Conditions} in their validity window with the audience
 *       {@code https://signin.aws.amazon.com/saml}; no clock leeway;</li>
 *   <li>the {@code Role} attribute holds the pair {@code RoleArn,PrincipalArn} (either order), {@code RoleSessionName}
 *       is present and valid, {@code SessionDuration}, {@code SourceIdentity}, {@code PrincipalTag:*} and
 *       {@code TransitiveTagKeys} are valid when present.</li>
 * </ol>
 * Each failure is answered with the error code and, where IAM documents one, the message AWS uses.
 */
final class SamlAssertionVerifier {

    static final String PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol";
    static final String ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
    static final String AUDIENCE = "https://signin.aws.amazon.com/saml";
    static final String SIGN_IN = "https://signin.aws.amazon.com/saml";
    static final String ATTRIBUTES = "https://aws.amazon.com/SAML/Attributes/";
    static final String BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    static final String SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
    private static final String NAME_ID_FORMAT_PREFIX = "urn:oasis:names:tc:SAML:2.0:nameid-format:";

    private static final Pattern REGIONAL_SIGN_IN = Pattern.compile("https://[a-z]{2}(-[a-z]+)+-\\d\\.signin\\.aws\\.amazon\\.com/saml");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");

    private final Function<String, Optional<SamlProvider>> providers;
    private final Clock clock;

    /**
     * The verified facts of an assertion.
     *
     * @param provider            the SAML provider that vouched for it
     * @param subject             the NameID
     * @param subjectType         the NameID format, without {@code urn:oasis:names:tc:SAML:2.0:nameid-format:}
     * @param issuer              the Issuer
     * @param recipient           the subject confirmation's Recipient (STS's {@code Audience} and {@code SAML:aud})
     * @param nameQualifier       {@code BASE64(SHA1(issuer + account + "/" + provider name))}
     * @param roleSessionName     the RoleSessionName attribute
     * @param sessionDuration     the SessionDuration attribute in seconds, or null
     * @param sessionNotOnOrAfter the AuthnStatement's SessionNotOnOrAfter, or null
     * @param tags                the PrincipalTag attributes
     * @param transitiveTagKeys   the TransitiveTagKeys attribute
     * @param sourceIdentity      the SourceIdentity attribute, or null
     */
    record VerifiedAssertion(SamlProvider provider, String subject, String subjectType, String issuer, String recipient,
            String nameQualifier, String roleSessionName, Integer sessionDuration, Instant sessionNotOnOrAfter,
            Map<String, String> tags, List<String> transitiveTagKeys, String sourceIdentity) implements AssumeRoleFlow.FederatedProof {

        @Override
        public String providerArn() {
            return provider.arn();
        }

        /** Returns the Recipient, which STS answers as {@code Audience}. */
        @Override
        public String audience() {
            return recipient;
        }

        /** Returns the assertion's RoleSessionName: AssumeRoleWithSAML has no such parameter. */
        @Override
        public String roleSessionName(String requested) {
            return roleSessionName;
        }

        /** Asks with the condition keys {@code SAML:aud}, {@code SAML:sub}, {@code SAML:sub_type}, {@code SAML:iss}, {@code SAML:namequalifier}. */
        @Override
        public TrustPolicyEvaluator.Request trustRequest(String action) {
            return new TrustPolicyEvaluator.Request(provider.arn(), action, Map.of("saml:aud", recipient, "saml:sub", subject,
                    "saml:sub_type", subjectType, "saml:iss", issuer, "saml:namequalifier", nameQualifier));
        }

        @Override
        public Integer assertedDuration() {
            return sessionDuration;
        }
    }

    SamlAssertionVerifier(Function<String, Optional<SamlProvider>> providersByArn, Clock clock) {
        this.providers = providersByArn;
        this.clock = clock;
    }

    VerifiedAssertion verify(String encoded, String roleArn, String principalArn) {
        SamlProvider provider = providers.apply(principalArn)
                .orElseThrow(() -> StsError.invalidIdentityToken("Specified provider doesn't exist."));
        Document doc = parse(encoded);
        Element response = doc.getDocumentElement();
        if (!PROTOCOL_NS.equals(response.getNamespaceURI()) || !"Response".equals(response.getLocalName())) {
            throw StsError.invalidIdentityToken("The SAMLAssertion is not a SAML 2.0 Response (samlp:Response).");
        }
        SamlSignatures.checkUniqueIds(doc);
        Element status = SecureXml.child(response, PROTOCOL_NS, "Status");
        Element code = status == null ? null : SecureXml.child(status, PROTOCOL_NS, "StatusCode");
        if (!SUCCESS.equals(SecureXml.attribute(code, "Value"))) {
            throw StsError.invalidIdentityToken("The SAML response's status is not Success.");
        }
        if (doc.getElementsByTagNameNS(ASSERTION_NS, "EncryptedAssertion").getLength() > 0) {
            throw StsError.invalidIdentityToken("LocalSts does not decrypt assertions; send the assertion unencrypted.");
        }
        NodeList all = doc.getElementsByTagNameNS(ASSERTION_NS, "Assertion");
        List<Element> direct = SecureXml.children(response, ASSERTION_NS, "Assertion");
        if (all.getLength() != 1 || direct.size() != 1) {
            throw StsError.invalidIdentityToken("The SAML response must contain exactly one Assertion, as a child of the "
                    + "Response (it has " + all.getLength() + ").");
        }
        Element assertion = direct.get(0);
        SamlSignatures.registerId(response);
        SamlSignatures.registerId(assertion);

        String issuer = SecureXml.text(SecureXml.child(assertion, ASSERTION_NS, "Issuer"));
        String responseIssuer = SecureXml.text(SecureXml.child(response, ASSERTION_NS, "Issuer"));
        if (issuer == null || !issuer.equals(provider.entityId()) || (responseIssuer != null && !responseIssuer.equals(issuer))) {
            throw StsError.invalidIdentityToken("Issuer not present in specified provider");
        }
        SamlSignatures.verify(response, assertion, provider.certificates());
        return checkAssertion(assertion, issuer, provider, roleArn, principalArn);
    }

    /** Decodes and parses a {@code SAMLResponse} without DOCTYPEs or external entities. */
    static Document parse(String encoded) {
        byte[] xml;
        try {
            xml = Base64.getMimeDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw StsError.invalidIdentityToken("The SAMLAssertion is not valid base64.");
        }
        try {
            return SecureXml.parse(xml);
        } catch (IllegalArgumentException e) {
            throw StsError.invalidIdentityToken("The SAMLAssertion is not a well-formed XML document without DOCTYPE.");
        }
    }

    private VerifiedAssertion checkAssertion(Element assertion, String issuer, SamlProvider provider, String roleArn,
            String principalArn) {
        Instant now = clock.instant();
        Element subject = SecureXml.child(assertion, ASSERTION_NS, "Subject");
        Element nameId = subject == null ? null : SecureXml.child(subject, ASSERTION_NS, "NameID");
        String name = SecureXml.text(nameId);
        if (name == null || name.isEmpty()) {
            throw StsError.invalidIdentityToken("NameID is required in AuthnResponse");
        }
        String format = SecureXml.attribute(nameId, "Format");
        String subjectType = format == null ? "unspecified"
                : format.startsWith(NAME_ID_FORMAT_PREFIX) ? format.substring(NAME_ID_FORMAT_PREFIX.length()) : format;
        List<Element> confirmations = SecureXml.children(subject, ASSERTION_NS, "SubjectConfirmation");
        if (confirmations.size() != 1 || !BEARER.equals(SecureXml.attribute(confirmations.get(0), "Method"))) {
            throw StsError.invalidIdentityToken("The assertion must have exactly one bearer SubjectConfirmation.");
        }
        Element data = SecureXml.child(confirmations.get(0), ASSERTION_NS, "SubjectConfirmationData");
        String recipient = SecureXml.attribute(data, "Recipient");
        Instant confirmationEnd = instant(SecureXml.attribute(data, "NotOnOrAfter"), "SubjectConfirmationData NotOnOrAfter");
        if (recipient == null || confirmationEnd == null) {
            throw StsError.invalidIdentityToken("SubjectConfirmationData must have both NotOnOrAfter and Recipient.");
        }
        if (!recipient.equals(SIGN_IN) && !REGIONAL_SIGN_IN.matcher(recipient).matches()) {
            throw StsError.invalidIdentityToken("Invalid Recipient " + recipient + ": it must be " + SIGN_IN
                    + " or https://<region>.signin.aws.amazon.com/saml");
        }
        if (!now.isBefore(confirmationEnd)) {
            throw expired("SubjectConfirmationData NotOnOrAfter " + confirmationEnd, now);
        }
        Element conditions = SecureXml.child(assertion, ASSERTION_NS, "Conditions");
        if (conditions != null) {
            Instant notBefore = instant(SecureXml.attribute(conditions, "NotBefore"), "Conditions NotBefore");
            Instant notOnOrAfter = instant(SecureXml.attribute(conditions, "NotOnOrAfter"), "Conditions NotOnOrAfter");
            if (notBefore != null && now.isBefore(notBefore)) {
                throw StsError.invalidIdentityToken("The assertion is not yet valid: current time " + now
                        + " is before NotBefore " + notBefore);
            }
            if (notOnOrAfter != null && !now.isBefore(notOnOrAfter)) {
                throw expired("Conditions NotOnOrAfter " + notOnOrAfter, now);
            }
        }
        if (!hasAudience(conditions)) {
            throw StsError.invalidIdentityToken("Response does not contain the required audience.");
        }
        Element authn = SecureXml.child(assertion, ASSERTION_NS, "AuthnStatement");
        Instant sessionEnd = instant(SecureXml.attribute(authn, "SessionNotOnOrAfter"), "SessionNotOnOrAfter");
        if (sessionEnd != null && !now.isBefore(sessionEnd)) {
            throw expired("AuthnStatement SessionNotOnOrAfter " + sessionEnd, now);
        }

        Map<String, List<String>> attributes = attributes(assertion);
        List<String> roles = attributes.get(ATTRIBUTES + "Role");
        if (roles == null || roles.isEmpty()) {
            throw StsError.invalidIdentityToken("Your request included an invalid SAML response: it has no "
                    + ATTRIBUTES + "Role attribute.");
        }
        boolean pairPresent = roles.stream().map(v -> List.of(v.split(",", -1))).anyMatch(pair -> pair.size() == 2
                && (pair.get(0).trim().equals(roleArn) && pair.get(1).trim().equals(principalArn)
                        || pair.get(1).trim().equals(roleArn) && pair.get(0).trim().equals(principalArn)));
        if (!pairPresent) {
            throw StsError.accessDenied("Not authorized to perform sts:AssumeRoleWithSAML");
        }
        String sessionName = single(attributes, "RoleSessionName");
        if (sessionName == null) {
            throw StsError.invalidIdentityToken("RoleSessionName is required in AuthnResponse");
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw StsError.invalidIdentityToken("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}");
        }
        Integer sessionDuration = null;
        String duration = single(attributes, "SessionDuration");
        if (duration != null) {
            if (!duration.matches("\\d{3,5}") || Integer.parseInt(duration) < 900 || Integer.parseInt(duration) > 43200) {
                throw StsError.invalidIdentityToken("SessionDuration in AuthnResponse must be a number of seconds from 900 to 43200");
            }
            sessionDuration = Integer.valueOf(duration);
        }
        String sourceIdentity = single(attributes, "SourceIdentity");
        if (sourceIdentity != null && (!SESSION_NAME.matcher(sourceIdentity).matches()
                || sourceIdentity.regionMatches(true, 0, "aws:", 0, 4))) {
            throw StsError.invalidIdentityToken("Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : attributes.entrySet()) {
            if (!entry.getKey().startsWith(ATTRIBUTES + "PrincipalTag:")) {
                continue;
            }
            String key = entry.getKey().substring((ATTRIBUTES + "PrincipalTag:").length());
            if (entry.getValue().size() != 1 || !TAG_KEY.matcher(key).matches() || !TAG_VALUE.matcher(entry.getValue().get(0)).matches()) {
                throw rejectedClaim("principal tag '" + key + "' must have one value, a key of at most 128 and a value of at"
                        + " most 256 characters IAM allows");
            }
            tags.put(key, entry.getValue().get(0));
        }
        if (tags.size() > 50) {
            throw rejectedClaim("the assertion carries " + tags.size() + " session tags; at most 50 are allowed");
        }
        List<String> transitive = attributes.getOrDefault(ATTRIBUTES + "TransitiveTagKeys", List.of());
        Set<String> tagKeys = new HashSet<>();
        tags.keySet().forEach(k -> tagKeys.add(k.toLowerCase(Locale.ROOT)));
        for (String key : transitive) {
            if (!tagKeys.contains(key.toLowerCase(Locale.ROOT))) {
                throw rejectedClaim("transitive tag key '" + key + "' is not one of the principal tags");
            }
        }
        return new VerifiedAssertion(provider, name, subjectType, issuer, recipient,
                SamlProvider.nameQualifier(issuer, provider.accountId(), provider.name()), sessionName, sessionDuration, sessionEnd, tags,
                transitive, sourceIdentity);
    }

    private static boolean hasAudience(Element conditions) {
        if (conditions == null) {
            return false;
        }
        for (Element restriction : SecureXml.children(conditions, ASSERTION_NS, "AudienceRestriction")) {
            for (Element audience : SecureXml.children(restriction, ASSERTION_NS, "Audience")) {
                if (AUDIENCE.equals(SecureXml.text(audience))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<String, List<String>> attributes(Element assertion) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (Element statement : SecureXml.children(assertion, ASSERTION_NS, "AttributeStatement")) {
            for (Element attribute : SecureXml.children(statement, ASSERTION_NS, "Attribute")) {
                String name = SecureXml.attribute(attribute, "Name");
                if (name == null) {
                    continue;
                }
                List<String> values = attributes.computeIfAbsent(name, k -> new ArrayList<>());
                for (Element value : SecureXml.children(attribute, ASSERTION_NS, "AttributeValue")) {
                    values.add(SecureXml.text(value));
                }
            }
        }
        return attributes;
    }

    private static String single(Map<String, List<String>> attributes, String name) {
        List<String> values = attributes.get(ATTRIBUTES + name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw StsError.invalidIdentityToken(name + " in AuthnResponse must have exactly one value");
        }
        return values.get(0);
    }

    private static Instant instant(String value, String what) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw StsError.invalidIdentityToken(what + " is not an xs:dateTime in UTC");
        }
    }

    private static StsError expired(String what, Instant now) {
        return new StsError("ExpiredTokenException", 400, "The SAML assertion has expired: current time " + now
                + " is not before " + what);
    }

    private static StsError rejectedClaim(String detail) {
        return new StsError("IDPRejectedClaim", 400, "The identity provider's claim was rejected: " + detail + ".");
    }
}

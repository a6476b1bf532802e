package io.github.awsdelegation.sts.saml.internal;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a signed SAML response says, decided by {@link io.github.awsdelegation.sts.saml.SamlAssertionFactory}
 * and rendered by {@link SignedResponseWriter}.
 *
 * @param responseId          the {@code Response}'s ID
 * @param assertionId         the {@code Assertion}'s ID, which the signature references
 * @param issuer              the entity ID
 * @param nameId              the persistent NameID (the user's subject)
 * @param recipient           the response's {@code Destination} and the subject confirmation's {@code Recipient}
 * @param audience            the {@code Audience}
 * @param issueInstant        when it is issued; also the conditions' {@code NotBefore}
 * @param notOnOrAfter        until when it may be presented
 * @param authnInstant        when the user authenticated
 * @param sessionNotOnOrAfter when the session it starts must end
 * @param sessionIndex        the {@code AuthnStatement}'s session index
 * @param attributes          attribute names to their values, in order
 */
public record ResponseContent(String responseId, String assertionId, String issuer, String nameId, String recipient,
        String audience, Instant issueInstant, Instant notOnOrAfter, Instant authnInstant, Instant sessionNotOnOrAfter,
        String sessionIndex, Map<String, List<String>> attributes) {

    public ResponseContent {
        Objects.requireNonNull(responseId, "responseId");
        Objects.requireNonNull(assertionId, "assertionId");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(nameId, "nameId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(issueInstant, "issueInstant");
        Objects.requireNonNull(notOnOrAfter, "notOnOrAfter");
        Objects.requireNonNull(authnInstant, "authnInstant");
        Objects.requireNonNull(sessionNotOnOrAfter, "sessionNotOnOrAfter");
        Objects.requireNonNull(sessionIndex, "sessionIndex");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        attributes.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        attributes = Collections.unmodifiableMap(copy);
    }
}

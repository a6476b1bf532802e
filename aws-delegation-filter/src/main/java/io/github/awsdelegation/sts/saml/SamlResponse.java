package io.github.awsdelegation.sts.saml;

import io.github.awsdelegation.sts.internal.Partition;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A signed SAML response carrying one assertion, ready for STS AssumeRoleWithSAML ({@code SAMLAssertion}) or
 * for the console's sign-in endpoint ({@code SAMLResponse}).
 *
 * <p>It is a bearer credential until {@link #notOnOrAfter()}: {@link #toString()} shows its identifiers and
 * times, never its content.
 */
public final class SamlResponse {

    private final String encoded;
    private final String responseId;
    private final String assertionId;
    private final String subject;
    private final Partition partition;
    private final URI recipient;
    private final Instant notOnOrAfter;

    SamlResponse(String encoded, String responseId, String assertionId, String subject, Partition partition, URI recipient,
            Instant notOnOrAfter) {
        this.encoded = Objects.requireNonNull(encoded);
        this.responseId = responseId;
        this.assertionId = assertionId;
        this.subject = subject;
        this.partition = partition;
        this.recipient = recipient;
        this.notOnOrAfter = notOnOrAfter;
    }

    /** Returns the response, base64-encoded as STS and the HTTP POST binding expect it. */
    public String encoded() {
        return encoded;
    }

    /** Returns the response as an XML document (the decoded form of {@link #encoded()}). */
    public String xml() {
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    /** Returns the response's ID. */
    public String responseId() {
        return responseId;
    }

    /** Returns the assertion's ID. */
    public String assertionId() {
        return assertionId;
    }

    /** Returns the NameID: the user's subject. */
    public String subject() {
        return subject;
    }

    /** Returns the partition the response is for. */
    public Partition partition() {
        return partition;
    }

    /** Returns the sign-in endpoint the response is addressed to (its {@code Destination} and {@code Recipient}). */
    public URI recipient() {
        return recipient;
    }

    /** Returns until when the response may be presented. */
    public Instant notOnOrAfter() {
        return notOnOrAfter;
    }

    @Override
    public String toString() {
        return "SamlResponse[id=" + responseId + ", assertion=" + assertionId + ", subject=" + subject + ", recipient="
                + recipient + ", notOnOrAfter=" + notOnOrAfter + ", content=<redacted>]";
    }
}

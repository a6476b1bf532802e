package io.github.awsdelegation.sts.saml;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.scope.ScopeRejectedException;
import io.github.awsdelegation.scope.SessionScope;
import io.github.awsdelegation.scope.internal.RoleSessionNames;
import io.github.awsdelegation.sts.internal.Partition;
import io.github.awsdelegation.sts.saml.internal.AwsSamlAttributes;
import io.github.awsdelegation.sts.saml.internal.ResponseContent;
import io.github.awsdelegation.sts.saml.internal.SignedResponseWriter;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a verified user and the roles the rules granted into a signed SAML 2.0 response, as AWS requires it
 * (IAM User Guide, "Configure SAML assertions for the authentication response"):
 * <ul>
 * <li>{@code Issuer}: the configured entity ID, which IAM knows from the metadata;</li>
 * <li>{@code Subject}: a persistent {@code NameID} holding the user's {@code sub} (so {@code ${saml:sub}} in IAM
 *     policies is the user), and exactly one bearer {@code SubjectConfirmation} whose {@code Recipient} is the
 *     partition's sign-in endpoint and whose {@code NotOnOrAfter} ends the assertion's short lifetime;</li>
 * <li>{@code Conditions}: the same validity window and the partition's audience;</li>
 * <li>{@code AuthnStatement}: when the user authenticated ({@code auth_time}, else {@code iat}) and
 *     {@code SessionNotOnOrAfter} at the end of the session duration;</li>
 * <li>attributes {@code Role} (one {@code roleArn,providerArn} per role), {@code RoleSessionName},
 *     {@code SessionDuration}, and when configured {@code SourceIdentity}, {@code PrincipalTag:*},
 *     {@code TransitiveTagKeys} and the configured extra attributes;</li>
 * <li>the assertion signed with RSA-SHA256 and exclusive canonicalisation, the signature carrying the certificate.</li>
 * </ul>
 * Thread-safe.
 */
public final class SamlAssertionFactory {

    /** STS's limit on the encoded {@code SAMLAssertion}: {@value} characters. */
    public static final int MAX_ENCODED_LENGTH = 100_000;

    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SamlSettings settings;
    private final Clock clock;
    private final SignedResponseWriter writer;

    /** Creates a factory; it initialises OpenSAML if that has not happened yet. */
    public SamlAssertionFactory(SamlSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.writer = new SignedResponseWriter(settings.signingKey());
    }

    /** Returns the settings. */
    public SamlSettings settings() {
        return settings;
    }

    /**
     * Creates a signed response for a user.
     *
     * @param identity        the verified user
     * @param roles           the roles to offer, all in one partition and each with an IAM SAML provider principal
     * @param sessionName     the role session name, already valid for STS
     * @param sessionDuration how long the session should last (15 minutes to 12 hours)
     * @throws IllegalArgumentException when a role has no SAML provider, or the roles span partitions
     * @throws ScopeRejectedException   when the user's values cannot be session tags or a source identity, or the
     *                                  response exceeds STS's {@value #MAX_ENCODED_LENGTH} characters
     */
    public SamlResponse create(VerifiedIdentity identity, List<RoleGrant> roles, String sessionName, Duration sessionDuration) {
        return create(identity, roles, sessionName, sessionDuration, SessionScope.none());
    }

    /**
     * Creates a signed response for a user, with a role's rendered scoping: its session tags, transitive tag keys and
     * source identity go into the assertion (the only way AssumeRoleWithSAML takes them), over the configured
     * {@code principalTags} and {@code sourceIdentity} of the same key. Its session policy and managed policies are
     * not part of an assertion: STS takes them as request parameters.
     *
     * @see #create(VerifiedIdentity, List, String, Duration)
     */
    public SamlResponse create(VerifiedIdentity identity, List<RoleGrant> roles, String sessionName, Duration sessionDuration,
            SessionScope scope) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(scope, "scope");
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a SAML response needs at least one role");
        }
        Partition partition = Partition.of(roles.get(0).partition());
        List<String> roleValues = new ArrayList<>();
        for (RoleGrant role : roles) {
            String provider = role.samlProviderArn().orElseThrow(() -> new IllegalArgumentException("role " + role.roleArn()
                    + " has no IAM SAML provider as principal; set its principal to arn:...:saml-provider/<name>"));
            if (Partition.of(role.partition()) != partition) {
                throw new IllegalArgumentException("roles of partitions " + partition + " and " + role.partition()
                        + " cannot share one SAML response: their audiences differ");
            }
            roleValues.add(role.roleArn() + "," + provider);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notOnOrAfter = now.plus(settings.assertionLifetime());
        URI recipient = settings.signInUrl(partition);

        Map<String, List<String>> attributes = new LinkedHashMap<>();
        attributes.put(AwsSamlAttributes.ROLE, roleValues);
        attributes.put(AwsSamlAttributes.ROLE_SESSION_NAME, List.of(sessionName));
        attributes.put(AwsSamlAttributes.SESSION_DURATION, List.of(Long.toString(sessionDuration.toSeconds())));
        if (scope.sourceIdentity() != null) {
            attributes.put(AwsSamlAttributes.SOURCE_IDENTITY, List.of(scope.sourceIdentity()));
        } else if (settings.sourceIdentity() != null) {
            attributes.put(AwsSamlAttributes.SOURCE_IDENTITY, List.of(sourceIdentity(identity)));
        }
        List<String> tagKeys = new ArrayList<>();
        for (SamlAttributeMapping tag : settings.principalTags()) {
            List<String> values = tag.values(identity);
            if (values.isEmpty() || scope.tags().keySet().stream().anyMatch(k -> k.equalsIgnoreCase(tag.name()))) {
                continue; // no value, no tag: a policy condition on it then fails closed
            }
            if (values.size() > 1 || !TAG_VALUE.matcher(values.get(0)).matches()) {
                throw new ScopeRejectedException("principal tag '" + tag.name() + "' (from " + tag.source() + ") cannot be set "
                        + "for this user: a session tag holds one value of at most 256 letters, digits, spaces and _.:/=+-@, "
                        + "and this user has " + (values.size() > 1 ? values.size() + " values" : "a value outside that set"));
            }
            attributes.put(AwsSamlAttributes.PRINCIPAL_TAG_PREFIX + tag.name(), values);
            tagKeys.add(tag.name().toLowerCase(Locale.ROOT));
        }
        scope.tags().forEach((key, value) -> {
            attributes.put(AwsSamlAttributes.PRINCIPAL_TAG_PREFIX + key, List.of(value));
            tagKeys.add(key.toLowerCase(Locale.ROOT));
        });
        Set<String> transitiveKeys = new LinkedHashSet<>(settings.transitiveTagKeys());
        transitiveKeys.addAll(scope.transitiveTagKeys());
        List<String> transitive = transitiveKeys.stream()
                .filter(key -> tagKeys.contains(key.toLowerCase(Locale.ROOT))).toList();
        if (!transitive.isEmpty()) {
            attributes.put(AwsSamlAttributes.TRANSITIVE_TAG_KEYS, transitive);
        }
        for (SamlAttributeMapping mapping : settings.attributes()) {
            List<String> values = mapping.values(identity);
            if (!values.isEmpty()) {
                attributes.put(mapping.name(), values);
            }
        }

        ResponseContent content = new ResponseContent(newId(), newId(), settings.entityId(), identity.subject(),
                recipient.toString(), partition.samlAudience(), now, notOnOrAfter, authnInstant(identity, now),
                now.plus(sessionDuration), newId(), attributes);
        String encoded = Base64.getEncoder().encodeToString(writer.write(content).getBytes(StandardCharsets.UTF_8));
        if (encoded.length() > MAX_ENCODED_LENGTH) {
            throw new ScopeRejectedException("the SAML response for this user is " + encoded.length() + " characters; STS "
                    + "accepts at most " + MAX_ENCODED_LENGTH + ". Map fewer or shorter attributes (saml.attributes).");
        }
        return new SamlResponse(encoded, content.responseId(), content.assertionId(), identity.subject(), partition,
                recipient, notOnOrAfter);
    }

    private String sourceIdentity(VerifiedIdentity identity) {
        List<String> values = SamlAttributeMapping.valuesOf(settings.sourceIdentity(), identity);
        if (values.size() != 1) {
            throw new ScopeRejectedException("the source identity (from " + settings.sourceIdentity() + ") cannot be set for "
                    + "this user, who has " + (values.isEmpty() ? "no value" : values.size() + " values") + " for it");
        }
        // STS accepts 2-64 characters of [\w+=,.@-], like a role session name: the same mapping applies (it leaves no
        // ':', so no 'aws:' prefix either).
        return RoleSessionNames.of(values.get(0));
    }

    private static Instant authnInstant(VerifiedIdentity identity, Instant now) {
        for (String claim : List.of("auth_time", "iat")) {
            if (identity.claims().get(claim) instanceof Number n) {
                Instant instant = Instant.ofEpochSecond(n.longValue());
                return instant.isAfter(now) ? now : instant;
            }
        }
        return now;
    }

    /**
     * Returns the {@code NameQualifier} STS reports for a user of this IdP:
     * {@code BASE64(SHA1(issuer + accountId + "/" + providerName))} (STS AssumeRoleWithSAML response).
     *
     * @param issuer      the entity ID
     * @param providerArn the IAM SAML provider ARN, e.g. {@code arn:aws:iam::123456789012:saml-provider/pet-shop}
     */
    public static String nameQualifier(String issuer, String providerArn) {
        String[] parts = providerArn.split(":", 6);
        if (parts.length != 6 || !parts[5].startsWith("saml-provider/")) {
            throw new IllegalArgumentException("'" + providerArn + "' is not an IAM SAML provider ARN");
        }
        String name = parts[5].substring("saml-provider/".length());
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((issuer + parts[4] + "/" + name).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }

    // IDs must be NCNames: a letter or underscore first.
    private static String newId() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        return "_" + HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "SamlAssertionFactory[" + settings.entityId() + "]";
    }
}

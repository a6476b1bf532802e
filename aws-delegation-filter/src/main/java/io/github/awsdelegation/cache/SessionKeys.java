package io.github.awsdelegation.cache;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.scope.SessionScope;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.saml.SamlAttributeMapping;
import io.github.awsdelegation.sts.saml.SamlSettings;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Derives the cache key of a credential request from everything that shapes the session STS will issue, so that two
 * requests share credentials only when STS would give them the same session.
 *
 * <p>The key holds the user (issuer and subject) and the role, and a {@link SessionFingerprint} of: the role's
 * principal, federation and region; the role session name and duration; the rendered session policy, managed
 * policy ARNs, session tags (by key), transitive tag keys and source identity; for a role assumed with SAML, the
 * values this user has for each configured {@code principalTags}, {@code attributes} and {@code sourceIdentity}
 * mapping (they go into the assertion, so a user moved from team A to team B gets new credentials at the next
 * request); for a web-identity role, the ID token's {@code https://aws.amazon.com/tags} and
 * {@code https://aws.amazon.com/source_identity} claims, from which STS takes session tags and source identity.
 */
public final class SessionKeys {

    /** The ID token claim from which AssumeRoleWithWebIdentity takes session tags and transitive tag keys. */
    public static final String TAGS_CLAIM = "https://aws.amazon.com/tags";

    /** The ID token claim from which AssumeRoleWithWebIdentity takes the source identity. */
    public static final String SOURCE_IDENTITY_CLAIM = "https://aws.amazon.com/source_identity";

    private SessionKeys() {
    }

    /**
     * Returns the cache key of a request.
     *
     * @param request the request as it will be sent to STS
     * @param saml    the SAML identity provider settings, or {@code null} when the module is not one
     */
    public static CacheKey of(CredentialRequest request, SamlSettings saml) {
        VerifiedIdentity identity = request.identity();
        RoleGrant role = request.role();
        SessionScope scope = request.scope();
        SessionFingerprint f = SessionFingerprint.start()
                .add("principalArn", role.principalArn())
                .add("federation", role.federation().configName())
                .add("region", role.region())
                .add("sessionName", request.sessionName())
                .add("durationSeconds", request.duration().toSeconds())
                .add("sessionPolicy", scope.sessionPolicy())
                .addUnordered("policyArns", scope.policyArns())
                .addSorted("tags", scope.tags())
                .addUnordered("transitiveTagKeys", scope.transitiveTagKeys())
                .add("sourceIdentity", scope.sourceIdentity());
        switch (role.federation()) {
            case SAML -> {
                if (saml != null) {
                    f.add("saml.principalTags", values(saml.principalTags(), identity))
                            .add("saml.attributes", values(saml.attributes(), identity))
                            .addUnordered("saml.transitiveTagKeys", saml.transitiveTagKeys())
                            .add("saml.sourceIdentity", saml.sourceIdentity() == null ? null
                                    : SamlAttributeMapping.valuesOf(saml.sourceIdentity(), identity));
                }
            }
            case WEB_IDENTITY -> f.add("token." + TAGS_CLAIM, identity.claims().get(TAGS_CLAIM))
                    .add("token." + SOURCE_IDENTITY_CLAIM, identity.claims().get(SOURCE_IDENTITY_CLAIM));
            case ASSUME_ROLE -> {
                // Everything AssumeRole is sent is in the request's scope.
            }
        }
        return new CacheKey(identity.issuer(), identity.subject(), role.roleArn(), f.hex());
    }

    // In configuration order (the order the assertion has them): name -> the user's values.
    private static Map<String, Object> values(Iterable<SamlAttributeMapping> mappings, VerifiedIdentity identity) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (SamlAttributeMapping m : mappings) {
            values.put(m.name(), m.values(identity));
        }
        return values;
    }
}

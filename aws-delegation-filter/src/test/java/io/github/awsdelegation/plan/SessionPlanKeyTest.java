package io.github.awsdelegation.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.EntryPoint;
import io.github.awsdelegation.Identities;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleGrant.Federation;
import io.github.awsdelegation.scope.SessionScope;
import io.github.awsdelegation.sts.internal.Partition;
import io.github.awsdelegation.sts.saml.SamlSettings;
import io.github.awsdelegation.sts.saml.SamlTestKeys;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;

/**
 * The cache key of a session plan, built from the plan's own fields: one dimension of the session at a time changes,
 * and the key must change with it (else two users, or one user before and after a change, would share credentials).
 */
class SessionPlanKeyTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/pet-shop-buyer";
    static final String SAML_PROVIDER = "arn:aws:iam::123456789012:saml-provider/pet-shop";
    static final String OIDC_PROVIDER = "arn:aws:iam::123456789012:oidc-provider/tenant.example.com";

    static final SamlSettings SAML = SamlSettings.builder().entityId("https://shop.example.com/saml")
            .signingKey(SamlTestKeys.signingKey())
            .principalTag("team", "claim.team")
            .attribute("urn:oid:1.3.6.1.4.1.5923.1.1.1.1", "claim.affiliation")
            .sourceIdentity("claim.employee")
            .build();

    record Request(VerifiedIdentity identity, RoleGrant role, String sessionName, SessionScope scope, Duration duration) {
        SessionKey key() {
            return plan(EntryPoint.FILTER).cacheKey();
        }

        SessionPlan plan(EntryPoint entryPoint) {
            return new SessionPlan(identity, new RoleDecision(role, List.of(role), "rule", "test", false), scope, duration,
                    sessionName, Partition.regionFor(role, Region.US_EAST_1),
                    SessionPlanner.identityValues(role, identity, SAML), entryPoint);
        }

        Request with(UnaryOperator<Request> change) {
            return change.apply(this);
        }
    }

    static Map<String, Object> claims(String team, String affiliation, String employee, Object awsTags, String awsSourceIdentity) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "auth0|42");
        claims.put("team", team);
        claims.put("affiliation", affiliation);
        claims.put("employee", employee);
        if (awsTags != null) {
            claims.put(SessionPlanner.TAGS_CLAIM, awsTags);
        }
        if (awsSourceIdentity != null) {
            claims.put(SessionPlanner.SOURCE_IDENTITY_CLAIM, awsSourceIdentity);
        }
        return claims;
    }

    static VerifiedIdentity user(Map<String, Object> claims) {
        return Identities.withClaims("auth0|42", ConnectionType.DATABASE, claims);
    }

    static Object tagsClaim(String team) {
        return Map.of("principal_tags", Map.of("team", List.of(team)), "transitive_tag_keys", List.of("team"));
    }

    static final SessionScope SCOPE = new SessionScope("{\"Statement\":[]}", List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"),
            Map.of("team", "blue"), List.of("team"), "auth0-42");

    static Request saml() {
        return new Request(user(claims("blue", "member", "e-1", null, null)), RoleGrant.builder(ROLE)
                .principal(SAML_PROVIDER).build(),
                "auth0-42", SCOPE, Duration.ofHours(1));
    }

    static Request webIdentity() {
        return new Request(user(claims("blue", "member", "e-1", tagsClaim("blue"), "e-1")),
                RoleGrant.builder(ROLE).principal(OIDC_PROVIDER).build(), "auth0-42", SCOPE, Duration.ofHours(1));
    }

    static SessionScope scope(String policy, List<String> arns, Map<String, String> tags, List<String> transitive, String sourceIdentity) {
        return new SessionScope(policy, arns, tags, transitive, sourceIdentity);
    }

    static List<Arguments> dimensions() {
        return List.of(
                Arguments.of("user (subject)", saml(), saml().with(r -> new Request(
                        Identities.withClaims("auth0|43", ConnectionType.DATABASE, r.identity().claims()), r.role(),
                        r.sessionName(), r.scope(), r.duration()))),
                Arguments.of("role ARN", saml(), saml().with(r -> new Request(r.identity(),
                        RoleGrant.builder("arn:aws:iam::123456789012:role/pet-shop-admin").principal(SAML_PROVIDER).build(),
                        r.sessionName(), r.scope(), r.duration()))),
                Arguments.of("principal", webIdentity(), webIdentity().with(r -> new Request(r.identity(),
                        RoleGrant.builder(ROLE).principal("arn:aws:iam::123456789012:oidc-provider/other.example.com").build(),
                        r.sessionName(), r.scope(), r.duration()))),
                Arguments.of("federation", webIdentity().with(r -> new Request(r.identity(),
                        RoleGrant.of(ROLE), r.sessionName(), r.scope(), r.duration())),
                        webIdentity().with(r -> new Request(r.identity(),
                        RoleGrant.builder(ROLE).federation(Federation.ASSUME_ROLE).build(), r.sessionName(), r.scope(),
                        r.duration()))),
                Arguments.of("region", saml(), saml().with(r -> new Request(r.identity(),
                        RoleGrant.builder(ROLE).principal(SAML_PROVIDER).region("eu-west-1").build(), r.sessionName(), r
                                .scope(), r.duration()))),
                Arguments.of("session name", saml(), saml().with(r -> new Request(r.identity(), r.role(), "auth0-43",
                        r.scope(), r.duration()))),
                Arguments.of("duration", saml(), saml().with(r -> new Request(r.identity(), r.role(), r.sessionName(),
                        r.scope(), Duration.ofHours(2)))),
                Arguments.of("session policy", saml(), saml().with(r -> new Request(r.identity(), r.role(), r.sessionName(),
                        scope("{\"Statement\":[{}]}", SCOPE.policyArns(), SCOPE.tags(), SCOPE.transitiveTagKeys(),
                                SCOPE.sourceIdentity()), r.duration()))),
                Arguments.of("no session policy", saml(), saml().with(r -> new Request(r.identity(), r.role(), r.sessionName(),
                        scope(null, SCOPE.policyArns(), SCOPE.tags(), SCOPE.transitiveTagKeys(), SCOPE.sourceIdentity()),
                        r.duration()))),
                Arguments.of("managed policies", saml(), saml().with(r -> new Request(r.identity(), r.role(), r.sessionName(),
                        scope(SCOPE.sessionPolicy(), List.of(), SCOPE.tags(), SCOPE.transitiveTagKeys(), SCOPE.sourceIdentity()),
                        r.duration()))),
                Arguments.of("session tag value", saml(), saml().with(r -> new Request(r.identity(), r.role(), r.sessionName(),
                        scope(SCOPE.sessionPolicy(), SCOPE.policyArns(), Map.of("team", "red"), SCOPE.transitiveTagKeys(),
                                SCOPE.sourceIdentity()), r.duration()))),
                Arguments.of("session tag key", saml(), saml().with(r -> new Request(r.identity(), r.role(), r.sessionName(),
                        scope(SCOPE.sessionPolicy(), SCOPE.policyArns(), Map.of("group", "blue"), List.of(),
                                SCOPE.sourceIdentity()), r.duration()))),
                Arguments.of("transitive tag keys", saml(), saml().with(r -> new Request(r.identity(), r.role(), r.sessionName(),
                        scope(SCOPE.sessionPolicy(), SCOPE.policyArns(), SCOPE.tags(), List.of(), SCOPE.sourceIdentity()),
                        r.duration()))),
                Arguments.of("source identity", saml(), saml().with(r -> new Request(r.identity(), r.role(), r.sessionName(),
                        scope(SCOPE.sessionPolicy(), SCOPE.policyArns(), SCOPE.tags(), SCOPE.transitiveTagKeys(), "auth0-43"),
                        r.duration()))),
                Arguments.of("SAML principal tag value (team A -> team B)", saml(), saml().with(r -> new Request(
                        user(claims("red", "member", "e-1", null, null)), r.role(), r.sessionName(), r.scope(), r.duration()))),
                Arguments.of("SAML attribute value", saml(), saml().with(r -> new Request(
                        user(claims("blue", "staff", "e-1", null, null)), r.role(), r.sessionName(), r.scope(), r.duration()))),
                Arguments.of("SAML source identity value", saml(), saml().with(r -> new Request(
                        user(claims("blue", "member", "e-2", null, null)), r.role(), r.sessionName(), r.scope(), r.duration()))),
                Arguments.of("web identity tags claim", webIdentity(), webIdentity().with(r -> new Request(
                        user(claims("blue", "member", "e-1", tagsClaim("red"), "e-1")), r.role(), r.sessionName(), r.scope(),
                        r.duration()))),
                Arguments.of("web identity source identity claim", webIdentity(), webIdentity().with(r -> new Request(
                        user(claims("blue", "member", "e-1", tagsClaim("blue"), "e-2")), r.role(), r.sessionName(), r.scope(),
                        r.duration()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dimensions")
    @DisplayName("two requests differing in one dimension of the session get different keys")
    void key_differentDimension_differentKey(String dimension, Request a, Request b) {
        assertThat(b.key()).isNotEqualTo(a.key());
    }

    @Test
    @DisplayName("the same request gets the same key, whatever the order of tags, managed policies and claim members")
    void key_sameSession_sameKey() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("b", "2");
        tags.put("a", "1");
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("a", "1");
        reversed.put("b", "2");
        Request one = new Request(webIdentity().identity(), webIdentity().role(), "auth0-42",
                scope(null, List.of("arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"), tags, List.of(), null), Duration.ofHours(1));
        Request two = new Request(user(claims("blue", "member", "e-1",
                Map.of("transitive_tag_keys", List.of("team"), "principal_tags", Map.of("team", List.of("blue"))), "e-1")),
                webIdentity().role(), "auth0-42",
                scope(null, List.of("arn:aws:iam::aws:policy/B", "arn:aws:iam::aws:policy/A"), reversed, List.of(), null), Duration.ofHours(1));

        assertThat(two.key()).isEqualTo(one.key());
    }

    @Test
    @DisplayName("the entry point is not part of the key: a console sign-in and an API call of one user share credentials")
    void key_entryPoint_notPart() {
        assertThat(saml().plan(EntryPoint.CONSOLE_SIGN_IN).cacheKey()).isEqualTo(saml().plan(EntryPoint.FILTER).cacheKey());
    }

    @Test
    @DisplayName("the region is the role's own, else the configured one in the role's partition, else the partition's default")
    void regionFor_partitionAware() {
        assertThat(Partition.regionFor(RoleGrant.builder(ROLE).principal(SAML_PROVIDER)
                .region("eu-west-1").build(), Region.US_EAST_1))
                .isEqualTo(Region.EU_WEST_1);
        assertThat(Partition.regionFor(RoleGrant.of(ROLE), Region.EU_CENTRAL_1)).isEqualTo(Region.EU_CENTRAL_1);
        assertThat(Partition.regionFor(RoleGrant.of("arn:aws-cn:iam::123456789012:role/buyer"), Region.EU_CENTRAL_1))
                .isEqualTo(Region.CN_NORTH_1);
        assertThat(Partition.regionFor(RoleGrant.of("arn:aws-us-gov:iam::123456789012:role/buyer"), Region.US_EAST_1))
                .isEqualTo(Region.US_GOV_WEST_1);
    }

    @Test
    @DisplayName("a plan's toString names the user, role and region, never a value of the user's claims")
    void toString_noClaimValues() {
        assertThat(saml().plan(EntryPoint.FILTER).toString()).contains("auth0|42", ROLE, "us-east-1").doesNotContain("e-1");
    }

    @Test
    @DisplayName("fields are length-prefixed: values that concatenate alike, and null and empty, stay apart")
    void fingerprint_unambiguous() {
        assertThat(SessionFingerprint.start().add("a", "b|c").add("d", "e").hex())
                .isNotEqualTo(SessionFingerprint.start().add("a", "b").add("d", "|ce").hex());
        assertThat(SessionFingerprint.start().add("a", "bc").hex()).isNotEqualTo(SessionFingerprint.start().add("ab", "c").hex());
        assertThat(SessionFingerprint.start().add("a", null).hex()).isNotEqualTo(SessionFingerprint.start().add("a", "").hex());
        assertThat(SessionFingerprint.start().add("a", List.of("x", "y")).hex())
                .isNotEqualTo(SessionFingerprint.start().add("a", List.of("xy")).hex())
                .isNotEqualTo(SessionFingerprint.start().add("a", "xy").hex());
    }
}

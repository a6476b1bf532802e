package io.github.awsdelegation.sts.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.sts.saml.internal.SamlMetadata;
import io.github.awsdelegation.testkit.IssuedSession;
import io.github.awsdelegation.testkit.StsCall;
import java.net.URI;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** AssumeRoleWithSAML with assertions this module signs, against the local STS that trusts its metadata. */
class SamlCredentialSourceTest {

    static SamlSettings settings;
    static LocalSamlSts sts;
    static SamlCredentialSource issuer;

    @BeforeAll
    static void start() {
        settings = SamlAssertionFactoryTest.settings()
                .principalTag("team", "claim.team").transitiveTagKeys(List.of("team")).sourceIdentity("email").build();
        sts = new LocalSamlSts(settings, Clock.systemUTC());
        issuer = new SamlCredentialSource(sts.stsSettings(), new SamlAssertionFactory(settings, Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        issuer.close();
        sts.close();
    }

    @AfterEach
    void reset() {
        sts.sts.resetCalls();
    }

    @Test
    @DisplayName("STS verifies our signature against our metadata and issues credentials; the session carries the user's NameID")
    void issue_success() {
        IssuedCredentials issued = issuer.issue(SamlCredentialSourceContractTest.request(LocalSamlSts.ADMIN_ROLE, null,
                Duration.ofHours(1)));

        assertThat(issued.assumedRoleArn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/pet-shop-admin/auth0-5f7c8ec7");
        IssuedSession session = sts.sts.session(issued.credentials().accessKeyId()).orElseThrow();
        assertThat(session.subject()).isEqualTo("auth0|5f7c8ec7");
        assertThat(session.provider()).isEqualTo(LocalSamlSts.PROVIDER);
        assertThat(session.audience()).isEqualTo("https://signin.aws.amazon.com/saml");
        assertThat(session.expiration()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
        assertThat(sts.sts.calls()).singleElement().satisfies(call -> {
            assertThat(call.action()).isEqualTo("AssumeRoleWithSAML");
            assertThat(call.roleSessionName()).isEqualTo("auth0-5f7c8ec7");
            assertThat(call.subject()).isEqualTo("auth0|5f7c8ec7");
        });
    }

    @Test
    @DisplayName("session tags, transitive keys and the source identity reach the session when the trust policy allows them")
    void issue_tagsAndSourceIdentity() {
        IssuedCredentials issued = issuer.issue(SamlCredentialSourceContractTest.request(LocalSamlSts.TAGGED_ROLE, null,
                Duration.ofMinutes(15)));

        IssuedSession session = sts.sts.session(issued.credentials().accessKeyId()).orElseThrow();
        assertThat(session.sessionTags()).containsExactlyEntriesOf(java.util.Map.of("team", "blue"));
        assertThat(session.transitiveTagKeys()).containsExactly("team");
        assertThat(session.sourceIdentity()).isEqualTo("admin@example.com");
    }

    @Test
    @DisplayName("without sts:TagSession in the trust policy, an assertion with session tags is refused: 403 naming the role")
    void issue_tagsNotTrusted_isRoleDenied() {
        assertThatThrownBy(() -> issuer.issue(SamlCredentialSourceContractTest.request(LocalSamlSts.NO_TAGS_ROLE, null,
                Duration.ofMinutes(15))))
                .isInstanceOf(RoleDeniedException.class)
                .hasMessageContaining(LocalSamlSts.NO_TAGS_ROLE)
                .hasMessageContaining("AccessDenied: Not authorized to perform sts:TagSession");
    }

    @Test
    @DisplayName("a SAML provider that holds another key's metadata (rotated without re-upload) refuses: 403 saying to upload the metadata")
    void issue_staleMetadata_isRoleDeniedWithHint() {
        KeyPair other = SamlTestKeys.otherRsa2048();
        SamlSettings rotated = SamlAssertionFactoryTest.settings()
                .signingKey(SamlSigningKey.of(other.getPrivate(), SamlTestKeys.certificate(other, "next"), List.of())).build();
        try (SamlCredentialSource stale = new SamlCredentialSource(sts.stsSettings(), new SamlAssertionFactory(rotated, Clock.systemUTC()))) {
            assertThatThrownBy(() -> stale.issue(SamlCredentialSourceContractTest.request(LocalSamlSts.ADMIN_ROLE, null,
                    Duration.ofMinutes(15))))
                    .isInstanceOf(RoleDeniedException.class)
                    .hasMessageContaining("InvalidIdentityToken: Response signature invalid")
                    .hasMessageContaining("upload it again");
        }
    }

    @Test
    void issue_providerNotInIam_isRoleDenied() {
        CredentialRequest request = new CredentialRequest(SamlAssertionFactoryTest.admin(), null, RoleGrant.builder(LocalSamlSts.ADMIN_ROLE)
                .principal("arn:aws:iam::123456789012:saml-provider/never-created").build(),
                "auth0-5f7c8ec7", null, Duration.ofMinutes(15));

        assertThatThrownBy(() -> issuer.issue(request))
                .isInstanceOf(RoleDeniedException.class)
                .hasMessageContaining("Specified provider doesn't exist");
    }

    @Test
    void issue_roleWithoutSamlPrincipal_isRoleDeniedBeforeSts() {
        CredentialRequest request = new CredentialRequest(SamlAssertionFactoryTest.admin(), null,
                RoleGrant.of(LocalSamlSts.ADMIN_ROLE), "auth0-5f7c8ec7", null, Duration.ofMinutes(15));

        assertThatThrownBy(() -> issuer.issue(request))
                .isInstanceOf(RoleDeniedException.class)
                .hasMessageContaining("has no IAM SAML provider as principal");
        assertThat(sts.sts.calls()).isEmpty();
    }

    @Test
    @DisplayName("a duration over the role's maximum session duration is STS's ValidationError, a 403 for the operator")
    void issue_durationOverRoleMaximum_isRoleDenied() {
        assertThatThrownBy(() -> issuer.issue(SamlCredentialSourceContractTest.request(LocalSamlSts.ADMIN_ROLE, null,
                Duration.ofHours(2))))
                .isInstanceOf(RoleDeniedException.class)
                .hasMessageContaining("ValidationError");
        IssuedCredentials twelve = issuer.issue(SamlCredentialSourceContractTest.request(LocalSamlSts.LONG_ROLE, null,
                Duration.ofHours(12)));
        assertThat(twelve.expiration()).isAfter(Instant.now().plus(Duration.ofHours(11)));
    }

    @Test
    void metadata_registersAtTheLocalSts() {
        assertThat(sts.sts.samlProviderEntityId(LocalSamlSts.PROVIDER)).hasValue(SamlAssertionFactoryTest.ENTITY_ID);
        assertThat(new SamlMetadata(settings).xml(URI.create("https://x.example/saml/console"))).startsWith("<?xml");
        assertThat(sts.sts.calls()).extracting(StsCall::action).isEmpty();
    }
}

package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineTestKit;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

class LocalAwsExtensionTest {

    @RegisterExtension
    static final LocalAwsExtension AWS = LocalAwsExtension.builder()
            .identityProvider(idp -> idp.client(Demo.CLIENT_ID, null, List.of()).client("second-app", null, List.of())
                    .allowAnyLoopbackRedirect(true)
                    .databaseUser(Demo.ADMIN_USERNAME, Demo.ADMIN_PASSWORD, Demo.ADMIN_EMAIL, Demo.ADMIN_GROUPS)
                    .socialUser(Demo.BUYER_AMAZON_ID, Demo.BUYER_EMAIL))
            .build();

    private static URI issuerSeenInBeforeAll;

    @BeforeAll
    static void rememberIssuer(LocalIdentityProvider idp) {
        issuerSeenInBeforeAll = idp.issuer();
    }

    @Test
    void resolvesParameters_sameInstancesAsTheAccessors(LocalIdentityProvider idp, LocalSts sts, LocalAws aws) {
        assertThat(idp).isSameAs(AWS.identityProvider()).isSameAs(aws.identityProvider());
        assertThat(sts).isSameAs(AWS.sts()).isSameAs(aws.sts());
        assertThat(idp.issuer()).isEqualTo(issuerSeenInBeforeAll);
    }

    @Test
    void wiresTheStsToTheIdentityProviderForAllClientsWithTheDemoRoles(LocalIdentityProvider idp, LocalSts sts) {
        assertThat(sts.role(Demo.BUYER_ROLE_ARN)).hasValueSatisfying(role -> {
            assertThat(role.trustPolicy()).contains(sts.oidcProviderArn(idp.issuer()), "\"" + LocalSts.oidcProviderId(idp.issuer())
                    + ":aud\":\"pet-shop\"");
            assertThat(role.permissionPolicy()).hasValue(Demo.buyerPermissionPolicy(idp.issuer()));
        });
        assertThat(sts.role(Demo.ADMIN_ROLE_ARN)).isPresent();

        // The second client is a registered audience, but the demo roles trust pet-shop only.
        try (StsClient client = TestSupport.stsClient(sts)) {
            assertThatThrownBy(() -> client.assumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest.builder()
                    .roleArn(Demo.BUYER_ROLE_ARN).roleSessionName("s2")
                    .webIdentityToken(idp.newIdToken().audience("second-app").sign()).build()))
                    .hasMessageContaining("Not authorized to perform sts:AssumeRoleWithWebIdentity");
        }
        assertThat(sts.calls()).last().extracting(StsCall::outcome).isEqualTo("AccessDenied");
    }

    @Nested
    class InANestedClass {

        @Test
        void theOuterInstancesAreShared(LocalIdentityProvider idp) {
            assertThat(idp.issuer()).isEqualTo(issuerSeenInBeforeAll);
        }
    }

    @Nested
    @ExtendWith(LocalAwsExtension.class)
    class DeclaredWithExtendWith {

        @Test
        void stillResolvesTheOuterRunningPair(LocalSts sts) {
            assertThat(sts).isSameAs(AWS.sts());
        }
    }

    @Test
    @DisplayName("Registered on a static field, it stops both servers after the class's tests")
    void staticField_stopsBothAfterAllTests() {
        EngineTestKit.engine("junit-jupiter").selectors(DiscoverySelectors.selectClass(StaticSample.class)).execute()
                .testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));

        assertThat(StaticSample.seen).hasSize(2).allSatisfy(uri -> assertThatThrownBy(() -> TestSupport.get(uri))
                .isInstanceOf(ConnectException.class));
        assertThat(StaticSample.issuers).as("one pair for the class").hasSize(1);
    }

    @Test
    @DisplayName("Registered on an instance field, it starts and stops a pair around each test")
    void instanceField_startsAndStopsAroundEachTest() {
        EngineTestKit.engine("junit-jupiter").selectors(DiscoverySelectors.selectClass(InstanceSample.class)).execute()
                .testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));

        assertThat(InstanceSample.issuers).as("one pair per test").hasSize(2);
        assertThat(InstanceSample.issuers).allSatisfy(uri -> assertThatThrownBy(() -> TestSupport.get(uri))
                .isInstanceOf(ConnectException.class));
    }

    /** Run by {@link #staticField_stopsBothAfterAllTests()} only (surefire skips nested classes). */
    static class StaticSample {
        @RegisterExtension
        static final LocalAwsExtension SAMPLE = LocalAwsExtension.builder().build();
        static final Set<URI> issuers = ConcurrentHashMap.newKeySet();
        static final Set<URI> seen = ConcurrentHashMap.newKeySet();

        @Test
        void first(LocalIdentityProvider idp, LocalSts sts) {
            record(idp, sts);
        }

        @Test
        void second(LocalIdentityProvider idp, LocalSts sts) {
            record(idp, sts);
        }

        private static void record(LocalIdentityProvider idp, LocalSts sts) {
            issuers.add(idp.issuer());
            seen.add(idp.discoveryUri());
            seen.add(sts.endpoint());
        }
    }

    /** Run by {@link #instanceField_startsAndStopsAroundEachTest()} only. */
    static class InstanceSample {
        static final Set<URI> issuers = ConcurrentHashMap.newKeySet();

        @RegisterExtension
        final LocalAwsExtension sample = LocalAwsExtension.builder().build();

        @Test
        void first(LocalIdentityProvider idp) {
            issuers.add(idp.discoveryUri());
        }

        @Test
        void second(LocalIdentityProvider idp) {
            issuers.add(idp.discoveryUri());
        }
    }

    @Test
    void outsideTheClass_accessorsFail() {
        LocalAwsExtension notStarted = LocalAwsExtension.builder().build();

        assertThatThrownBy(notStarted::sts).isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");
    }
}

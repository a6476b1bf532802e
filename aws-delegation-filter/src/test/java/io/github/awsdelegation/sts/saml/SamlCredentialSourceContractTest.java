package io.github.awsdelegation.sts.saml;

import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.CredentialSource;
import io.github.awsdelegation.sts.CredentialSourceContractTest;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.testkit.LocalSts;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@link CredentialSource} contract for {@link SamlCredentialSource} (AssumeRoleWithSAML). */
class SamlCredentialSourceContractTest extends CredentialSourceContractTest {

    static LocalSamlSts sts;
    static SamlCredentialSource issuer;

    @BeforeAll
    static void start() {
        SamlSettings settings = SamlAssertionFactoryTest.settings().build();
        sts = new LocalSamlSts(settings, Clock.systemUTC());
        issuer = new SamlCredentialSource(sts.stsSettings(), new SamlAssertionFactory(settings, Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        issuer.close();
        sts.close();
    }

    @Override
    protected LocalSts sts() {
        return sts.sts;
    }

    @Override
    protected CredentialSource issuer() {
        return issuer;
    }

    @Override
    protected CredentialRequest request(String sessionPolicy, Duration duration) {
        return request(LocalSamlSts.ADMIN_ROLE, sessionPolicy, duration);
    }

    @Override
    protected CredentialRequest untrustedRoleRequest() {
        return request(LocalSamlSts.OTHER_PROVIDER_ROLE, null, Duration.ofMinutes(15));
    }

    @Override
    protected String action() {
        return "AssumeRoleWithSAML";
    }

    static CredentialRequest request(String role, String policy, Duration duration) {
        return new CredentialRequest(SamlAssertionFactoryTest.admin(), null,
                RoleGrant.builder(role).principal(LocalSamlSts.PROVIDER).build(), "auth0-5f7c8ec7", policy, duration);
    }
}

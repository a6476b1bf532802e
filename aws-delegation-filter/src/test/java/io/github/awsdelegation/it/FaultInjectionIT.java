package io.github.awsdelegation.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.Fault;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import io.github.awsdelegation.testkit.LocalSts;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults injected into the real local STS and identity provider while the filter runs: slow, throttling and
 * failing STS, a JWKS outage and a key rotation.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FaultInjectionIT {

    static final String WEB_IDENTITY = "AssumeRoleWithWebIdentity";

    @Deployment(testable = false)
    static WebArchive shop() {
        ItEnvironment env = ItEnvironment.get();
        return ItEnvironment.war("faults", ItConfig.of(env.aws)
                .sts("callTimeout", "1500ms").sts("attemptTimeout", "700ms").sts("maxAttempts", "3")
                .rule("everyone", null, ItConfig.role(Demo.BUYER_ROLE_ARN)));
    }

    @ArquillianResource
    URL base;

    final LocalIdentityProvider idp = ItEnvironment.get().aws.identityProvider();
    final LocalSts sts = ItEnvironment.get().aws.sts();

    @BeforeEach
    @AfterEach
    void healthy() {
        sts.setFault(Fault.NONE);
        sts.resetCalls();
        idp.setJwksAvailable(true);
    }

    HttpResponse<String> call(String token) {
        return Http.bearer(URI.create(base + "whoami"), token);
    }

    String newUser() {
        return idp.newIdToken().subject("amazon|" + UUID.randomUUID()).sign();
    }

    @Test
    @DisplayName("an STS that hangs: a cold request gets 503 with Retry-After within the configured call timeout")
    void slowSts_503WithinTimeout() {
        sts.setFault(Fault.SLOW(Duration.ofSeconds(10)));
        long start = System.nanoTime();

        HttpResponse<String> response = call(newUser());

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(took).as("no thread held past the call timeout (1.5 s) by much").isLessThan(Duration.ofSeconds(2));
    }

    @Test
    @DisplayName("throttling is retried with backoff and a success follows, without extra calls")
    void throttled_retried() {
        // The SDK's throttling backoff waits up to 1 s before the retry (full jitter), within the 1.5 s call timeout.
        sts.setFault(Fault.THROTTLE, 1);

        HttpResponse<String> response = call(newUser());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(sts.calls()).extracting(c -> c.outcome()).containsExactly("Throttling", "Success");
    }

    @Test
    @DisplayName("STS failing: cached users carry on, new users get 503, and recovery needs no restart")
    void failing_cachedCarryOn_recovers() {
        String known = newUser();
        assertThat(call(known).statusCode()).isEqualTo(200);

        sts.setFault(Fault.UNAVAILABLE);
        assertThat(call(known).statusCode()).as("cached").isEqualTo(200);
        assertThat(call(newUser()).statusCode()).as("cold").isEqualTo(503);

        sts.setFault(Fault.NONE);
        assertThat(call(newUser()).statusCode()).as("recovered").isEqualTo(200);
    }

    @Test
    @DisplayName("a JWKS outage: new tokens still verify on the cached keys; only STS, which needs the JWKS too, fails new users with 503")
    void jwksOutage_survived() {
        String subject = "amazon|" + UUID.randomUUID();
        assertThat(call(idp.newIdToken().subject(subject).sign()).statusCode()).isEqualTo(200); // keys and credentials cached
        idp.setJwksAvailable(false);

        HttpResponse<String> sameUserNewToken = call(idp.newIdToken().subject(subject).sign());
        HttpResponse<String> newUser = call(newUser());

        assertThat(sameUserNewToken.statusCode()).as(sameUserNewToken.body()).isEqualTo(200);
        assertThat(newUser.statusCode()).as("STS cannot reach the provider's JWKS either").isEqualTo(503);
        assertThat(newUser.body()).contains("IDPCommunicationError");
    }

    @Test
    @DisplayName("a key rotation is picked up with at most one JWKS refetch")
    void keyRotation_pickedUp() {
        assertThat(call(newUser()).statusCode()).isEqualTo(200);
        int fetches = idp.jwksRequestCount();

        idp.rotateKeys();
        HttpResponse<String> signedWithNewKey = call(newUser());

        assertThat(signedWithNewKey.statusCode()).as(signedWithNewKey.body()).isEqualTo(200);
        assertThat(idp.jwksRequestCount() - fetches).isLessThanOrEqualTo(1);
        assertThat(call(idp.newIdToken().subject("amazon|" + UUID.randomUUID()).sign()).statusCode()).isEqualTo(200);
    }
}

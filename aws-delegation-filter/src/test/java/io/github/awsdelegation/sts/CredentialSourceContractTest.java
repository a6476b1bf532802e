package io.github.awsdelegation.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.testkit.Fault;
import io.github.awsdelegation.testkit.IssuedSession;
import io.github.awsdelegation.testkit.LocalSts;
import io.github.awsdelegation.testkit.StsCall;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CredentialSource} promises, whatever STS operation it calls: credentials for the granted role
 * and session name, the session policy and duration sent to STS, and the same three meanings for failures (STS
 * refusing the role: 403; STS unreachable, throttling or failing: 503 with Retry-After; throttling once: retried).
 * Each implementation runs it against the local STS, through the real AWS SDK over HTTP.
 */
public abstract class CredentialSourceContractTest {

    protected static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
            + "\"Resource\":\"arn:aws:s3:::pet-shop/*\"}]}";

    /** Returns the local STS the issuer calls. */
    protected abstract LocalSts sts();

    /** Returns the issuer under test, configured against {@link #sts()} with {@code retryAfter} of 7 seconds. */
    protected abstract CredentialSource issuer();

    /** Returns a request for a role STS lets the user assume, with the given session policy (or null) and duration. */
    protected abstract CredentialRequest request(String sessionPolicy, Duration duration);

    /** Returns a request for a role whose trust policy does not admit the user. */
    protected abstract CredentialRequest untrustedRoleRequest();

    /** The STS action the issuer calls. */
    protected abstract String action();

    @AfterEach
    void resetSts() {
        sts().setFault(Fault.NONE);
        sts().resetCalls();
    }

    @Test
    @DisplayName("credentials are issued for the granted role and session name, as long as asked")
    void issue_returnsCredentialsForTheRole() {
        CredentialRequest request = request(null, Duration.ofMinutes(20));
        Instant before = Instant.now().minusSeconds(1);

        IssuedCredentials issued = issuer().issue(request);

        assertThat(issued.roleArn()).isEqualTo(request.role().roleArn());
        assertThat(issued.assumedRoleArn()).endsWith(":assumed-role/" + request.role().roleName() + "/" + request.sessionName());
        assertThat(issued.assumedRoleId()).endsWith(":" + request.sessionName());
        assertThat(issued.credentials().accessKeyId()).startsWith("ASIA");
        assertThat(issued.expiration()).isBetween(before.plus(Duration.ofMinutes(20)), Instant.now().plus(Duration.ofMinutes(20)));
        assertThat(issued.toString()).doesNotContain(issued.credentials().secretAccessKey(), issued.credentials().sessionToken());
        IssuedSession session = sts().session(issued.credentials().accessKeyId()).orElseThrow();
        assertThat(session.secretAccessKey()).isEqualTo(issued.credentials().secretAccessKey());
        assertThat(sts().calls()).singleElement().satisfies(call -> {
            assertThat(call.action()).isEqualTo(action());
            assertThat(call.durationSeconds()).isEqualTo(1200);
            assertThat(call.succeeded()).isTrue();
        });
    }

    @Test
    void issue_sendsTheSessionPolicy() {
        IssuedCredentials issued = issuer().issue(request(POLICY, Duration.ofMinutes(15)));

        assertThat(sts().session(issued.credentials().accessKeyId()).orElseThrow().sessionPolicy()).isEqualTo(POLICY);
    }

    @Test
    @DisplayName("a role STS refuses (trust policy) is a RoleDeniedException naming the role and STS's code")
    void issue_untrustedRole_isRoleDenied() {
        CredentialRequest request = untrustedRoleRequest();

        assertThatThrownBy(() -> issuer().issue(request))
                .isInstanceOf(RoleDeniedException.class)
                .hasMessageContaining(request.role().roleArn())
                .hasMessageContaining("AccessDenied");
    }

    @Test
    @DisplayName("STS unavailable is a CredentialsUnavailableException with the configured Retry-After")
    void issue_stsUnavailable_isUnavailable() {
        sts().setFault(Fault.UNAVAILABLE);

        assertThatThrownBy(() -> issuer().issue(request(null, Duration.ofMinutes(15))))
                .isInstanceOfSatisfying(CredentialsUnavailableException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7)))
                .hasMessageContaining("unavailable");
    }

    @Test
    void issue_throttledOnce_isRetried() {
        sts().setFault(Fault.THROTTLE, 1);

        IssuedCredentials issued = issuer().issue(request(null, Duration.ofMinutes(15)));

        assertThat(issued).isNotNull();
        assertThat(sts().calls()).extracting(StsCall::outcome).containsExactly("Throttling", StsCall.SUCCESS);
    }
}

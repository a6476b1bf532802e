package io.github.awsdelegation.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.proc.BadJWTException;
import io.github.awsdelegation.testkit.Demo;
import io.github.awsdelegation.testkit.FakeClock;
import io.github.awsdelegation.testkit.LocalAws;
import io.github.awsdelegation.testkit.LocalIdentityProvider;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * The peer the "Peers:" rows compare against, against the testkit's local IdP and STS: it must verify tokens as apps
 * do (else it would be cheaper than it is) and call STS on the SDK provider's own schedule (else its STS calls would
 * be miscounted).
 */
@DisplayName("The peer: per-request Nimbus verification, one SDK web identity provider per user")
class PeerFilterTest {

    private FakeClock clock;
    private LocalAws aws;
    private PeerFilter peer;

    @BeforeEach
    void start() {
        // The system time to start: Nimbus checks exp against the system clock, the SDK providers against this one.
        clock = FakeClock.now();
        aws = LocalAws.builder().clock(clock).start();
        LocalIdentityProvider idp = aws.identityProvider();
        peer = new PeerFilter(idp.issuer(), idp.jwksUri(), Demo.CLIENT_ID, aws.sts().endpoint(), Demo.BUYER_ROLE_ARN, clock);
    }

    @AfterEach
    void stop() {
        peer.close();
        aws.close();
    }

    private String token(String user) {
        return aws.identityProvider().newIdToken().subject("amazon|" + user).sign();
    }

    @Test
    @DisplayName("a user's requests share one provider: one STS call, the same credentials")
    void credentials_sameUserAgain_oneStsCall() throws Exception {
        AwsCredentials first = peer.credentials(token("ann"));
        AwsCredentials again = peer.credentials(token("ann"));

        assertThat(again.accessKeyId()).isEqualTo(first.accessKeyId());
        assertThat(peer.stsCalls()).isEqualTo(1);
        assertThat(aws.sts().callCount("AssumeRoleWithWebIdentity")).isEqualTo(1);
        assertThat(peer.users()).isEqualTo(1);
    }

    @Test
    @DisplayName("a token signed by another key is rejected before STS is called")
    void credentials_forgedSignature_rejected() {
        String forged = aws.identityProvider().newIdToken().subject("amazon|eve").signWithForeignKey();

        assertThatThrownBy(() -> peer.credentials(forged)).isInstanceOf(BadJOSEException.class)
                .hasMessageContaining("Signed JWT rejected");
        assertThat(peer.stsCalls()).isZero();
    }

    @Test
    @DisplayName("a token for another audience is rejected")
    void credentials_otherAudience_rejected() {
        String token = aws.identityProvider().newIdToken().subject("amazon|eve").audience("another-app").sign();

        assertThatThrownBy(() -> peer.credentials(token)).isInstanceOf(BadJWTException.class)
                .hasMessageContaining("aud claim rejected");
    }

    @Test
    @DisplayName("a token from another issuer is rejected")
    void credentials_otherIssuer_rejected() {
        String token = aws.identityProvider().newIdToken().subject("amazon|eve").issuer("http://127.0.0.1:9/other").sign();

        assertThatThrownBy(() -> peer.credentials(token)).isInstanceOf(BadJWTException.class)
                .hasMessageContaining("iss");
    }

    @Test
    @DisplayName("an expired token is rejected")
    void credentials_expired_rejected() {
        String token = aws.identityProvider().newIdToken().subject("amazon|eve")
                .issuedAt(clock.instant().minus(Duration.ofHours(3))).expiresAt(clock.instant().minus(Duration.ofHours(2)))
                .sign();

        assertThatThrownBy(() -> peer.credentials(token)).isInstanceOf(BadJWTException.class)
                .hasMessageContaining("Expired");
    }

    @Test
    @DisplayName("1 h credentials: no STS call before 55 minutes, one by 58 (the SDK's prefetch, jittered 5 to 2 minutes ahead)")
    void credentials_acrossPrefetchWindow_refreshesOnceOnTheSdkSchedule() throws Exception {
        String token = token("bob");
        AwsCredentials first = peer.credentials(token);

        clock.advance(Duration.ofMinutes(54));
        peer.credentials(token);
        assertThat(peer.stsCalls()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(4));
        AwsCredentials refreshed = peer.credentials(token);
        peer.credentials(token);

        assertThat(peer.stsCalls()).isEqualTo(2);
        assertThat(refreshed.accessKeyId()).isNotEqualTo(first.accessKeyId());
    }
}

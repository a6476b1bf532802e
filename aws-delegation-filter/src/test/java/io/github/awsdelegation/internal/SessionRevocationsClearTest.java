package io.github.awsdelegation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.Identities;
import io.github.awsdelegation.cache.internal.LocalRevocationStore;
import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one revocation check of a request ({@link SessionRevocations#clear}): it refuses whatever the two checks it
 * replaces refused (the ID token by its {@code iat} and {@code sid}; the built-in login's sign-in by its start and
 * session), and its proof counts only with the revocations that made it.
 */
class SessionRevocationsClearTest {

    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final SessionRevocations revocations = revocations();

    SessionRevocations revocations() {
        return new SessionRevocations(new LocalRevocationStore(clock), Duration.ofHours(12), Duration.ofMinutes(10), clock);
    }

    static VerifiedIdentity token(String subject, Instant issuedAt, String sid) {
        Map<String, Object> claims = new HashMap<>(Map.of("sub", subject, "iat", issuedAt.getEpochSecond()));
        if (sid != null) {
            claims.put("sid", sid);
        }
        return Identities.withClaims(subject, ConnectionType.SOCIAL, claims);
    }

    static IllegalStateException refused(String reason) {
        return new IllegalStateException(reason);
    }

    @Test
    void aTokenPassesWhileNothingIsRevokedAndTheProofNamesItsUser() {
        VerifiedIdentity user = token("amazon|1", NOW.minusSeconds(60), "s-1");

        SessionRevocations.Cleared cleared = revocations.clear(user, null, null, SessionRevocationsClearTest::refused);

        assertThat(cleared.identity()).isSameAs(user);
        assertThat(cleared.checkedBy(revocations)).isTrue();
        assertThat(cleared.checkedBy(revocations())).as("another service's revocations").isFalse();
    }

    @Test
    void aTokenIssuedUpToTheSubjectsRevocationIsRefusedOneIssuedAfterPasses() {
        revocations.revokeSubject(Identities.ISSUER, "amazon|1");

        assertThatThrownBy(() -> revocations.clear(token("amazon|1", NOW, null), null, null,
                SessionRevocationsClearTest::refused)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cut off by an administrator");
        assertThat(revocations.clear(token("amazon|1", NOW.plusSeconds(1), null), null, null,
                SessionRevocationsClearTest::refused)).isNotNull();
        assertThat(revocations.clear(token("amazon|2", NOW.minusSeconds(60), null), null, null,
                SessionRevocationsClearTest::refused)).as("another user").isNotNull();
    }

    @Test
    void aSignInStartedBeforeTheSubjectsRevocationIsRefusedEvenWithATokenRenewedAfterIt() {
        revocations.revokeSubject(Identities.ISSUER, "amazon|1");
        VerifiedIdentity renewed = token("amazon|1", NOW.plusSeconds(30), null);

        assertThatThrownBy(() -> revocations.clear(renewed, null, NOW.minusSeconds(600),
                SessionRevocationsClearTest::refused)).hasMessageContaining("sessions were ended");
        assertThat(revocations.clear(renewed, null, NOW.plusSeconds(30), SessionRevocationsClearTest::refused))
                .as("signed in again afterwards").isNotNull();
    }

    @Test
    void aProviderSessionEndedByBackChannelLogoutIsRefusedByTheTokensSidOrTheSignInsSession() {
        revocations.revokeSession(Identities.ISSUER, "s-1");

        assertThatThrownBy(() -> revocations.clear(token("amazon|1", NOW, "s-1"), null, null,
                SessionRevocationsClearTest::refused)).hasMessageContaining("back-channel logout");
        assertThatThrownBy(() -> revocations.clear(token("amazon|1", NOW, null), "s-1", NOW,
                SessionRevocationsClearTest::refused)).hasMessageContaining("back-channel logout");
        assertThatThrownBy(() -> revocations.clear(token("amazon|1", NOW, "s-2"), "s-1", NOW,
                SessionRevocationsClearTest::refused)).as("the sign-in's session, though the token names another")
                .hasMessageContaining("back-channel logout");
        assertThat(revocations.clear(token("amazon|1", NOW, "s-2"), "s-2", NOW, SessionRevocationsClearTest::refused))
                .isNotNull();
    }
}

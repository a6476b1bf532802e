package io.github.awsdelegation.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.Identities;
import io.github.awsdelegation.config.LoginSettings;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RelyingPartySessionTest {

    static final Instant SIGN_IN = Instant.parse("2026-01-01T10:00:00Z");
    static final Duration MINIMUM = Duration.ofSeconds(60);
    static final LoginSettings SETTINGS = new LoginSettings(null, "/login", "/callback", "/logout", null,
            List.of("openid"), "/", "/", true, Duration.ofMinutes(20), Duration.ofHours(1), false);

    static VerifiedIdentity user(String subject, Instant expiresAt) {
        VerifiedIdentity base = Identities.social(subject);
        return new VerifiedIdentity(base.issuer(), subject, base.connectionType(), base.connectionName(), base.groups(),
                base.email(), expiresAt, base.claims());
    }

    static RelyingPartySession signedIn(String refreshToken) {
        return new RelyingPartySession(user("amazon|1", SIGN_IN.plus(Duration.ofMinutes(5))), "id-token-1", refreshToken,
                SIGN_IN);
    }

    @Test
    @DisplayName("it ends after the idle timeout without a request, and at the maximum age however active")
    void endReason_idleAndMaxAge() {
        RelyingPartySession session = signedIn("rt-1");

        assertThat(session.endReason(SIGN_IN.plus(Duration.ofMinutes(19)), SETTINGS)).isNull();
        assertThat(session.endReason(SIGN_IN.plus(Duration.ofMinutes(20)), SETTINGS)).contains("idle", "login.idleTimeout");
        for (int minutes = 15; minutes < 60; minutes += 15) {
            session.touch(SIGN_IN.plus(Duration.ofMinutes(minutes)));
        }
        assertThat(session.endReason(SIGN_IN.plus(Duration.ofMinutes(59)), SETTINGS)).isNull();
        assertThat(session.endReason(SIGN_IN.plus(Duration.ofMinutes(60)), SETTINGS)).contains("maximum age", "login.maxAge");
        assertThat(session.endsAt(SIGN_IN.plus(Duration.ofMinutes(50)), SETTINGS)).as("the earlier of the two ends")
                .isEqualTo(SIGN_IN.plus(Duration.ofHours(1)));
        assertThat(signedIn("rt-1").endsAt(SIGN_IN.plus(Duration.ofMinutes(10)), SETTINGS))
                .isEqualTo(SIGN_IN.plus(Duration.ofMinutes(30)));
    }

    @Test
    @DisplayName("a token still valid long enough is used as it is; an expiring one is refreshed, and a rotated refresh token kept")
    void freshIdToken_refreshesAndKeepsRotation() {
        RelyingPartySession session = signedIn("rt-1");
        List<String> used = new ArrayList<>();
        RelyingPartySession.TokenRefresher refresher = refreshToken -> {
            used.add(refreshToken);
            int n = used.size() + 1;
            return new RelyingPartySession.Refreshed("id-token-" + n,
                    user("amazon|1", SIGN_IN.plus(Duration.ofMinutes(5L * n))), n == 2 ? "rt-2" : null);
        };

        assertThat(session.freshIdToken(refresher, SIGN_IN.plus(Duration.ofMinutes(3)), MINIMUM)).isEqualTo("id-token-1");
        assertThat(used).isEmpty();
        assertThat(session.changedSincePublished()).isFalse();
        assertThat(session.freshIdToken(refresher, SIGN_IN.plus(Duration.ofMinutes(4).plusSeconds(1)), MINIMUM))
                .isEqualTo("id-token-2");
        assertThat(session.freshIdToken(refresher, SIGN_IN.plus(Duration.ofMinutes(9).plusSeconds(30)), MINIMUM))
                .isEqualTo("id-token-3");
        assertThat(session.freshIdToken(refresher, SIGN_IN.plus(Duration.ofMinutes(14).plusSeconds(30)), MINIMUM))
                .isEqualTo("id-token-4");
        assertThat(used).as("the rotated token is used next; without rotation the last one stays").containsExactly("rt-1", "rt-2", "rt-2");
        assertThat(session.changedSincePublished()).as("renewed tokens are to be handed to the container again").isTrue();
        assertThat(session.changedSincePublished()).as("once").isFalse();
    }

    @Test
    @DisplayName("a refused refresh, a missing refresh token, or a refreshed token for another user ends the session for good")
    void freshIdToken_refusedEndsSession() {
        Instant later = SIGN_IN.plus(Duration.ofMinutes(6));
        RelyingPartySession revoked = signedIn("rt-1");
        assertThatThrownBy(() -> revoked.freshIdToken(r -> {
            throw new SessionEndedException("the sign-in provider refused the refresh token: invalid_grant");
        }, later, MINIMUM)).isInstanceOf(SessionEndedException.class);
        assertThat(revoked.endReason(later, SETTINGS)).contains("invalid_grant");

        RelyingPartySession noRefreshToken = signedIn(null);
        assertThatThrownBy(() -> noRefreshToken.freshIdToken(r -> {
            throw new AssertionError("no refresh without a refresh token");
        }, later, MINIMUM)).isInstanceOf(SessionEndedException.class).hasMessageContaining("login.offlineAccess");

        RelyingPartySession swapped = signedIn("rt-1");
        assertThatThrownBy(() -> swapped.freshIdToken(r -> new RelyingPartySession.Refreshed("other",
                user("amazon|2", later.plus(Duration.ofMinutes(5))), null), later, MINIMUM))
                .isInstanceOf(SessionEndedException.class).hasMessageContaining("another user");
        assertThat(swapped.idToken()).isEqualTo("id-token-1");
    }

    @Test
    @DisplayName("requests that need a fresh token at once share one refresh")
    void freshIdToken_oneRefreshInFlight() throws Exception {
        RelyingPartySession session = signedIn("rt-1");
        AtomicInteger refreshes = new AtomicInteger();
        CountDownLatch inRefresh = new CountDownLatch(1);
        RelyingPartySession.TokenRefresher slow = r -> {
            refreshes.incrementAndGet();
            inRefresh.countDown();
            sleep(200);
            return new RelyingPartySession.Refreshed("id-token-2", user("amazon|1", SIGN_IN.plus(Duration.ofMinutes(11))), "rt-2");
        };
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> tokens = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                tokens.add(pool.submit(() -> session.freshIdToken(slow, SIGN_IN.plus(Duration.ofMinutes(6)), MINIMUM)));
            }
            for (Future<String> token : tokens) {
                assertThat(token.get(5, TimeUnit.SECONDS)).isEqualTo("id-token-2");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(refreshes).hasValue(1);
    }

    @Test
    @DisplayName("it is Serializable without its identity, and never prints a token")
    void serializable_andRedacted() throws Exception {
        RelyingPartySession session = signedIn("refresh-token-secret");
        assertThat(session.toString()).contains("amazon|1").doesNotContain("id-token-1", "refresh-token-secret", "the-nonce");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(session);
        }
        RelyingPartySession restored;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = (RelyingPartySession) in.readObject();
        }
        assertThat(restored.identity()).as("validated again after a restore").isNull();
        assertThat(restored.idToken()).isEqualTo("id-token-1");
        assertThat(restored.subject()).isEqualTo("amazon|1");
        assertThat(restored.endReason(SIGN_IN.plus(Duration.ofMinutes(1)), SETTINGS)).isNull();
        assertThat(restored.freshIdToken(r -> new RelyingPartySession.Refreshed("id-token-2",
                user("amazon|1", SIGN_IN.plus(Duration.ofMinutes(15))), null), SIGN_IN.plus(Duration.ofMinutes(6)), MINIMUM))
                .as("its refresh lock survives too").isEqualTo("id-token-2");
    }

    static final LoginSettings KEYED = new LoginSettings(null, "/login", "/callback", "/logout", null,
            List.of("openid"), "/", "/", true, Duration.ofMinutes(20), Duration.ofHours(1), false,
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
    static final LoginSettings OTHER_KEY = new LoginSettings(null, "/login", "/callback", "/logout", null,
            List.of("openid"), "/", "/", true, Duration.ofMinutes(20), Duration.ofHours(1), false,
            "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=");

    static byte[] serialize(RelyingPartySession session) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(session);
        }
        return bytes.toByteArray();
    }

    static RelyingPartySession deserialize(byte[] bytes) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (RelyingPartySession) in.readObject();
        }
    }

    @Test
    @DisplayName("with login.encryptionKey, the serialized session holds neither token; a node with the same key opens"
            + " them and refreshes with the refresh token")
    void sealed_serializedWithoutTokens_openedWithTheSameKey() throws Exception {
        RelyingPartySession session = new RelyingPartySession(user("amazon|1", SIGN_IN.plus(Duration.ofMinutes(5))),
                "id-token-secret-1", "refresh-token-secret", SIGN_IN, LoginKeys.sessionSealer(KEYED));

        byte[] bytes = serialize(session);
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("id-token-secret-1", "refresh-token-secret");

        RelyingPartySession restored = deserialize(bytes);
        assertThat(restored.unseal(LoginKeys.sessionSealer(KEYED))).isTrue();
        assertThat(restored.idToken()).isEqualTo("id-token-secret-1");
        List<String> refreshedWith = new ArrayList<>();
        assertThat(restored.freshIdToken(refreshToken -> {
            refreshedWith.add(refreshToken);
            return new RelyingPartySession.Refreshed("id-token-2", user("amazon|1", SIGN_IN.plus(Duration.ofMinutes(15))), "rt-2");
        }, SIGN_IN.plus(Duration.ofMinutes(6)), MINIMUM)).isEqualTo("id-token-2");
        assertThat(refreshedWith).containsExactly("refresh-token-secret");
        assertThat(new String(serialize(restored), java.nio.charset.StandardCharsets.ISO_8859_1))
                .as("sealed again after the restore, with the rotated refresh token").doesNotContain("id-token-2", "rt-2");
        RelyingPartySession again = deserialize(serialize(restored));
        assertThat(again.unseal(LoginKeys.sessionSealer(KEYED))).isTrue();
        assertThat(again.idToken()).isEqualTo("id-token-2");
    }

    @Test
    @DisplayName("a sealed session does not open on a node with another key or none, nor for another session")
    void sealed_otherKeyOrNone_doesNotOpen() throws Exception {
        byte[] bytes = serialize(new RelyingPartySession(user("amazon|1", SIGN_IN.plus(Duration.ofMinutes(5))), "id-token-1",
                "rt-1", SIGN_IN, LoginKeys.sessionSealer(KEYED)));

        assertThat(deserialize(bytes).unseal(LoginKeys.sessionSealer(OTHER_KEY))).isFalse();
        assertThat(deserialize(bytes).unseal(null)).isFalse();
        assertThat(LoginKeys.sessionSealer(SETTINGS)).as("no key configured: tokens kept as they are").isNull();
    }

    @Test
    @DisplayName("the pending-login cookie key is the same on every node given login.encryptionKey, and made per start"
            + " without one")
    void cookieKey_sharedWithAKey_perStartWithout() {
        assertThat(LoginKeys.cookieKey(KEYED).getEncoded()).isEqualTo(LoginKeys.cookieKey(KEYED).getEncoded())
                .isNotEqualTo(LoginKeys.cookieKey(OTHER_KEY).getEncoded());
        assertThat(LoginKeys.cookieKey(SETTINGS).getEncoded()).isNotEqualTo(LoginKeys.cookieKey(SETTINGS).getEncoded());
        assertThat(LoginKeys.cookieKey(KEYED).getEncoded()).as("derived: not the session key").isNotEqualTo(
                java.util.Base64.getDecoder().decode(KEYED.encryptionKey()));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

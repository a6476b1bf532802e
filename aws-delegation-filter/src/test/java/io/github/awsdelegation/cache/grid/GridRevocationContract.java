package io.github.awsdelegation.cache.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.cache.RevocationStore;
import io.github.awsdelegation.cache.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link GridCredentialStore}'s {@link RevocationStore} on a real engine, beside the credentials'
 * ({@link GridStoreContract}): what one node records (a revocation, the use of a logout token's {@code jti}) holds on
 * every node, named and encrypted as the credentials are, and an unreachable grid refuses writes rather than let them
 * pass unshared.
 */
public abstract class GridRevocationContract extends GridStoreContract {

    private final String subjectKey = "s https://idp.example/ " + alice.subject();

    @Test
    @DisplayName("a revocation recorded on one node is read on another, even one that had read its absence, within 1 s")
    void revocation_readOnEveryNode() {
        RevocationStore one = node().revocationStore();
        RevocationStore two = node().revocationStore();
        assertThat(two.get(subjectKey)).as("nothing yet, and two remembers that").isNull();

        one.put(subjectKey, "2026-12-06T19:00:00Z", Duration.ofHours(1));

        await("two reads the revocation", Duration.ofSeconds(1), () -> "2026-12-06T19:00:00Z".equals(two.get(subjectKey)));
        RevocationStore three = node().revocationStore();
        assertThat(three.get(subjectKey)).as("a node started afterwards").isEqualTo("2026-12-06T19:00:00Z");
    }

    @Test
    @DisplayName("a node that read a record's absence and then records it itself answers the record at once, and so do"
            + " the others")
    void revocation_afterAbsence_readAtOnce() {
        RevocationStore one = node().revocationStore();
        RevocationStore two = node().revocationStore();
        assertThat(one.get(subjectKey)).as("nothing yet, and one remembers that").isNull();
        assertThat(two.get(subjectKey)).isNull();

        one.put(subjectKey, "2026-12-06T19:00:00Z", Duration.ofHours(1));

        assertThat(one.get(subjectKey)).as("the node that recorded it, without a message")
                .isEqualTo("2026-12-06T19:00:00Z");
        await("two reads the revocation", Duration.ofSeconds(1), () -> "2026-12-06T19:00:00Z".equals(two.get(subjectKey)));
    }

    @Test
    @DisplayName("a logout token's jti is used once in the cluster: its second use, on any node, is refused")
    void jti_firstUseOnlyOnce() {
        RevocationStore one = node().revocationStore();
        RevocationStore two = node().revocationStore();
        String jti = "j https://idp.example/ " + UUID.randomUUID();

        assertThat(one.putIfAbsent(jti, "1", Duration.ofMinutes(5))).isTrue();
        assertThat(two.putIfAbsent(jti, "1", Duration.ofMinutes(5))).as("replayed at another node").isFalse();
        assertThat(one.putIfAbsent(jti, "1", Duration.ofMinutes(5))).as("replayed at the same node").isFalse();
    }

    @Test
    @DisplayName("records are named by keyed hashes and encrypted: the grid shows no issuer, subject or session")
    void revocation_encryptedAtRest() {
        RevocationStore one = node().revocationStore();
        one.put(subjectKey, "2026-12-06T19:00:00Z", Duration.ofHours(1));
        one.put("u https://idp.example/ sid-" + alice.subject(), alice.subject(), Duration.ofHours(1));

        assertThat(rawContent()).isNotEmpty().allSatisfy(raw -> {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            assertThat(text).doesNotContain(alice.subject()).doesNotContain("idp.example").doesNotContain("2026-12-06");
        });
    }

    @Test
    @DisplayName("a record expires in the grid after its time")
    void revocation_expires() {
        RevocationStore one = node().revocationStore();
        one.put(subjectKey, "2026-12-06T19:00:00Z", Duration.ofMillis(500));

        await("gone from the grid", Duration.ofSeconds(5), () -> node().revocationStore().get(subjectKey) == null);
    }

    @Test
    @DisplayName("the grid down: reads answer what the node knows, records and jti checks fail with 503; the node's"
            + " revocations reach the grid once it is back, its refused jti does not")
    protected void revocation_outage_failsClosedForWrites() {
        GridCredentialStore node = node();
        RevocationStore one = node.revocationStore();
        one.put(subjectKey, "2026-12-06T19:00:00Z", Duration.ofHours(1));
        String jti = "j https://idp.example/ " + UUID.randomUUID();

        stopEngine();
        try {
            await("the outage noticed", Duration.ofSeconds(10), () -> !node.reachable());
            assertThatThrownBy(() -> one.putIfAbsent(jti, "1", Duration.ofMinutes(5)))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("cannot be reached");
            assertThatThrownBy(() -> one.put("s https://idp.example/ bob", "2026-12-06T19:00:00Z", Duration.ofHours(1)))
                    .isInstanceOf(StoreUnavailableException.class)
                    .satisfies(e -> assertThat(((StoreUnavailableException) e).retryAfter()).isPositive());
            assertThat(one.get(subjectKey)).as("what this node knows").isEqualTo("2026-12-06T19:00:00Z");
        } finally {
            startEngine();
        }
        await("rejoined", Duration.ofSeconds(20), node::reachable);
        assertThat(one.putIfAbsent(jti, "1", Duration.ofMinutes(5))).as("the refused jti was not recorded").isTrue();
        assertThat(node().revocationStore().get("s https://idp.example/ bob"))
                .as("the refused revocation, kept by the node, reached the grid when it answered again")
                .isEqualTo("2026-12-06T19:00:00Z");
    }
}

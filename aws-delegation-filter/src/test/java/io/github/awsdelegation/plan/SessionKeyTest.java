package io.github.awsdelegation.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionKeyTest {

    static final String ISSUER = "https://idp/";
    static final String ROLE = "arn:aws:iam::123456789012:role/buyer";

    static String sha256Hex(long seed) {
        byte[] b = new byte[32];
        new Random(seed).nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Test
    @DisplayName("keys of equal fields are equal, with equal hash codes, whatever the form of the session hash")
    void equalFields_equalKeys() {
        for (String hash : new String[] {sha256Hex(1), sha256Hex(1).toUpperCase(), "", "abc", "0".repeat(64), "f".repeat(64)}) {
            SessionKey a = new SessionKey(ISSUER, "alice", ROLE, hash);
            SessionKey b = new SessionKey(new String(ISSUER), new String("alice"), new String(ROLE), new String(hash));

            assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
            assertThat(a.sessionHash()).isEqualTo(hash);
            assertThat(a.toString()).isEqualTo("SessionKey[issuer=https://idp/, subject=alice, roleArn=" + ROLE
                    + ", sessionHash=" + hash + "]");
        }
    }

    @Test
    @DisplayName("keys that differ in any field, or in any digit of the session hash, are not equal")
    void differentFields_differentKeys() {
        String hash = sha256Hex(2);
        SessionKey key = new SessionKey(ISSUER, "alice", ROLE, hash);

        assertThat(key).isNotEqualTo(new SessionKey("https://other/", "alice", ROLE, hash))
                .isNotEqualTo(new SessionKey(ISSUER, "bob", ROLE, hash))
                .isNotEqualTo(new SessionKey(ISSUER, "alice", ROLE + "2", hash))
                .isNotEqualTo(new SessionKey(ISSUER, "alice", ROLE, hash.toUpperCase()))
                .isNotEqualTo(new SessionKey(ISSUER, "alice", ROLE, ""));
        for (int i = 0; i < 64; i++) {
            char c = hash.charAt(i) == '0' ? '1' : '0';
            String other = hash.substring(0, i) + c + hash.substring(i + 1);
            assertThat(key).isNotEqualTo(new SessionKey(ISSUER, "alice", ROLE, other));
            assertThat(new SessionKey(ISSUER, "alice", ROLE, other).sessionHash()).isEqualTo(other);
        }
    }

    @Test
    @DisplayName("the user part is the issuer and subject")
    void user() {
        assertThat(new SessionKey(ISSUER, "alice", ROLE, sha256Hex(3)).user()).isEqualTo(new SessionKey.UserKey(ISSUER, "alice"));
    }

    @Test
    @DisplayName("every field is required")
    void nullField_rejected() {
        assertThatThrownBy(() -> new SessionKey(null, "alice", ROLE, "")).isInstanceOf(NullPointerException.class).hasMessage("issuer");
        assertThatThrownBy(() -> new SessionKey(ISSUER, null, ROLE, "")).isInstanceOf(NullPointerException.class).hasMessage("subject");
        assertThatThrownBy(() -> new SessionKey(ISSUER, "alice", null, "")).isInstanceOf(NullPointerException.class).hasMessage("roleArn");
        assertThatThrownBy(() -> new SessionKey(ISSUER, "alice", ROLE, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("sessionHash");
    }
}

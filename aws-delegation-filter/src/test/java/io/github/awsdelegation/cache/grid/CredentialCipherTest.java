package io.github.awsdelegation.cache.grid;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.sts.IssuedCredentials;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** What an entry in the grid carries, and that entries of the format's first release still read. */
class CredentialCipherTest {

    private static final String NAME = "c:k1:entry";
    private static final Instant EXPIRATION = Instant.parse("2026-12-07T01:00:00Z");
    private static final String ROLE = "arn:aws:iam::123456789012:role/buyer";
    private static final String ASSUMED_ROLE = "arn:aws:sts::123456789012:assumed-role/buyer/auth0-42";
    private static final String ASSUMED_ROLE_ID = "AROAEXAMPLE:auth0-42";

    private final CredentialCipher cipher = new CredentialCipher(new CacheSettings.Encryption("k1",
            Map.of("k1", Base64.getEncoder().encodeToString(new byte[32]))));

    private static AwsSessionCredentials session() {
        return AwsSessionCredentials.builder().accessKeyId("ASIAEXAMPLE").secretAccessKey("secret").sessionToken("token")
                .expirationTime(EXPIRATION).build();
    }

    @Test
    @DisplayName("Credentials read back from the grid keep their source identity and STS request id")
    void decrypt_keepsSourceIdentityAndStsRequestId() throws Exception {
        IssuedCredentials issued = new IssuedCredentials(session(), EXPIRATION, ROLE, ASSUMED_ROLE, ASSUMED_ROLE_ID,
                "alice@example.com", "0f3c2a9e-6d41-4b8e-9a3c-5e2f1d7b8c90");

        IssuedCredentials read = cipher.decrypt(cipher.encrypt(issued, NAME), NAME);

        assertThat(read.credentials().secretAccessKey()).isEqualTo("secret");
        assertThat(read.expiration()).isEqualTo(EXPIRATION);
        assertThat(read.assumedRoleArn()).isEqualTo(ASSUMED_ROLE);
        assertThat(read.sourceIdentity()).isEqualTo("alice@example.com");
        assertThat(read.stsRequestId()).isEqualTo("0f3c2a9e-6d41-4b8e-9a3c-5e2f1d7b8c90");
    }

    @Test
    void decrypt_withoutSourceIdentityOrRequestId_none() throws Exception {
        IssuedCredentials issued = new IssuedCredentials(session(), EXPIRATION, ROLE, ASSUMED_ROLE, ASSUMED_ROLE_ID);

        IssuedCredentials read = cipher.decrypt(cipher.encrypt(issued, NAME), NAME);

        assertThat(read.sourceIdentity()).isNull();
        assertThat(read.stsRequestId()).isNull();
    }

    @Test
    @DisplayName("An entry a node of the format's first release wrote (nothing after the account id) still reads")
    void decrypt_firstReleaseEntry_readsWithoutTheLaterFields() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("ASIAEXAMPLE");
            out.writeUTF("secret");
            out.writeUTF("token");
            out.writeLong(EXPIRATION.getEpochSecond());
            out.writeInt(EXPIRATION.getNano());
            out.writeUTF(ROLE);
            optional(out, ASSUMED_ROLE);
            optional(out, ASSUMED_ROLE_ID);
            optional(out, null); // account id
        }

        IssuedCredentials read = cipher.decrypt(cipher.seal(bytes.toByteArray(), NAME), NAME);

        assertThat(read.credentials().sessionToken()).isEqualTo("token");
        assertThat(read.roleArn()).isEqualTo(ROLE);
        assertThat(read.assumedRoleId()).isEqualTo(ASSUMED_ROLE_ID);
        assertThat(read.sourceIdentity()).isNull();
        assertThat(read.stsRequestId()).isNull();
    }

    private static void optional(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }
}

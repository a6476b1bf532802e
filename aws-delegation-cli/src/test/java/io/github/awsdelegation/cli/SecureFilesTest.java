package io.github.awsdelegation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureFilesTest {

    @Test
    void writeAtomically_createsOwnerOnlyFile_inOwnerOnlyDirectory_andLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".aws").resolve("credentials");

        SecureFiles.writeAtomically(file, "one\n");
        SecureFiles.writeAtomically(file, "two\n");

        assertThat(file).hasContent("two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writeAtomically_replacesALooserFile_with0600(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("credentials");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        SecureFiles.writeAtomically(file, "new");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void credentialCache_servesUntilFiveMinutesBeforeExpiry(@TempDir Path dir) throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Credentials credentials = new Credentials("ASIAKEY", "secret", "token", now.plus(Duration.ofHours(1)));
        new CredentialCache(dir, Clock.fixed(now, ZoneOffset.UTC)).put("https://app", "Admin@shop", credentials);

        assertThat(new CredentialCache(dir, Clock.fixed(now.plus(Duration.ofMinutes(54)), ZoneOffset.UTC))
                .get("https://app", "Admin@shop")).contains(credentials);
        assertThat(new CredentialCache(dir, Clock.fixed(now.plus(Duration.ofMinutes(55)), ZoneOffset.UTC))
                .get("https://app", "Admin@shop")).isEmpty();
        assertThat(new CredentialCache(dir, Clock.fixed(now, ZoneOffset.UTC)).get("https://other", "Admin@shop")).isEmpty();
        Path file = new CredentialCache(dir, Clock.systemUTC()).file("https://app", "Admin@shop");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void credentials_toString_hidesTheSecrets_json_hasTheCredentialProcessShape() {
        Credentials c = new Credentials("ASIAKEY", "s3cr3t", "t0k3n", Instant.parse("2026-01-01T01:00:00Z"));

        assertThat(c.toString()).doesNotContain("s3cr3t", "t0k3n");
        assertThat(c.credentialProcessJson()).isEqualTo("{\"Version\":1,\"AccessKeyId\":\"ASIAKEY\",\"SecretAccessKey\":\"s3cr3t\","
                + "\"SessionToken\":\"t0k3n\",\"Expiration\":\"2026-01-01T01:00:00Z\"}");
    }
}

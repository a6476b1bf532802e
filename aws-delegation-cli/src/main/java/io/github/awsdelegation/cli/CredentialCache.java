package io.github.awsdelegation.cli;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@code credential-process} cache: one file (mode 0600) per app and profile under
 * {@code ~/.aws-delegation/cache}, used until {@link #REFRESH_BEFORE_EXPIRY} before the credentials expire, so that
 * the AWS CLI's repeated calls do not open the browser each time.
 */
final class CredentialCache {

    /** Cached credentials are renewed this long before they expire: by default, 5 minutes. */
    static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);

    private final Path dir;
    private final Clock clock;

    CredentialCache(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    Optional<Credentials> get(String app, String profile) {
        Path file = file(app, profile);
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            Credentials c = new Credentials(p.getProperty("accessKeyId"), p.getProperty("secretAccessKey"),
                    p.getProperty("sessionToken"), Instant.parse(p.getProperty("expiration")));
            if (c.accessKeyId() == null || c.secretAccessKey() == null || c.sessionToken() == null
                    || !clock.instant().plus(REFRESH_BEFORE_EXPIRY).isBefore(c.expiration())) {
                return Optional.empty();
            }
            return Optional.of(c);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | DateTimeParseException | NullPointerException e) {
            return Optional.empty(); // an unreadable entry is as good as none: sign in again
        }
    }

    void put(String app, String profile, Credentials credentials) {
        Properties p = new Properties();
        p.setProperty("accessKeyId", credentials.accessKeyId());
        p.setProperty("secretAccessKey", credentials.secretAccessKey());
        p.setProperty("sessionToken", credentials.sessionToken());
        p.setProperty("expiration", credentials.expiration().toString());
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SecureFiles.writeAtomically(file(app, profile), out.toString());
    }

    Path file(String app, String profile) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((app + "\n" + profile).getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(hash, 0, 16) + ".properties");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

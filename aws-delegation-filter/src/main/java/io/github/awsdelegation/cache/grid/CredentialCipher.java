package io.github.awsdelegation.cache.grid;

import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.plan.SessionKey;
import io.github.awsdelegation.sts.IssuedCredentials;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Encrypts credentials before they leave the node and names grid entries without saying whose they are.
 *
 * <p>Each configured key yields two keys (HMAC-SHA256 of the key over a label, so that neither use weakens the
 * other): an AES-256-GCM key for values and an HMAC-SHA256 key for names. A value is {@code version | key id |
 * 96-bit random IV | ciphertext and tag}, with the version, key id and the entry's name as additional authenticated
 * data: a value moved under another name, or to another key id, fails to decrypt. A name is
 * {@code c:<key id>:<HMAC of issuer, subject, role and session>}; a user's index {@code u:<key id>:<HMAC of issuer
 * and subject>}: an operator reading the grid learns neither who nor which role.
 */
final class CredentialCipher {

    private static final byte VERSION = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String activeKey;
    private final Map<String, Keys> keys;

    private record Keys(SecretKeySpec encryption, SecretKeySpec naming) {
    }

    CredentialCipher(CacheSettings.Encryption settings) {
        this.activeKey = settings.activeKey();
        Map<String, Keys> derived = new LinkedHashMap<>();
        // The active key first: names are looked up in this order.
        derived.put(activeKey, derive(activeKey, settings.keys().get(activeKey)));
        settings.keys().keySet().stream().sorted().filter(id -> !id.equals(activeKey))
                .forEach(id -> derived.put(id, derive(id, settings.keys().get(id))));
        this.keys = derived;
    }

    private static Keys derive(String id, String base64) {
        String key = "cache.encryption.keys." + id;
        if (id.isEmpty() || id.length() > 64 || !id.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigurationException(key, "a key id is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        byte[] material;
        try {
            material = Base64.getDecoder().decode(base64 == null ? "" : base64.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, "is not Base64; make one with: openssl rand -base64 32");
        }
        if (material.length != 32) {
            throw new ConfigurationException(key, "must be 32 bytes (256 bits) in Base64, was " + material.length
                    + " bytes; make one with: openssl rand -base64 32");
        }
        return new Keys(new SecretKeySpec(hmac(material, "aws-delegation credential encryption"), "AES"),
                new SecretKeySpec(hmac(material, "aws-delegation entry names"), "HmacSHA256"));
    }

    /** Returns the id of the key new entries are encrypted and named with. */
    String activeKey() {
        return activeKey;
    }

    /** Returns the ids of the keys, the active one first. */
    List<String> keyIds() {
        return new ArrayList<>(keys.keySet());
    }

    /** Returns the name of a key's entry under a key id. */
    String name(String keyId, SessionKey key) {
        return "c:" + keyId + ":" + digest(keyId, key.issuer(), key.subject(), key.roleArn(), key.sessionHash());
    }

    /** Returns the name of a user's index under a key id. */
    String user(String keyId, SessionKey.UserKey user) {
        return "u:" + keyId + ":" + digest(keyId, user.issuer(), user.subject());
    }

    /** Returns the name of a revocation or replay record under a key id ({@link GridRevocationStore}). */
    String record(String keyId, String key) {
        return "r:" + keyId + ":" + digest(keyId, key);
    }

    private String digest(String keyId, String... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(keys.get(keyId).naming());
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array()); // length first: no ambiguous joins
                mac.update(bytes);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** Encrypts credentials for the entry under {@code name}, with the active key. */
    byte[] encrypt(IssuedCredentials credentials, String name) {
        return seal(serialize(credentials), name);
    }

    /** Encrypts bytes for the entry under {@code name}, with the active key. */
    byte[] seal(byte[] plain, String name) {
        byte[] header = header(activeKey);
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKey).encryption(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(header);
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(header.length + IV_BYTES + sealed.length).put(header).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is missing from this JVM", e);
        }
    }

    /**
     * Decrypts the value of the entry under {@code name}.
     *
     * @throws GeneralSecurityException when its key id is not configured, or it was altered or moved
     */
    IssuedCredentials decrypt(byte[] value, String name) throws GeneralSecurityException {
        return deserialize(open(value, name));
    }

    /**
     * Decrypts the bytes of the entry under {@code name}.
     *
     * @throws GeneralSecurityException when its key id is not configured, or it was altered or moved
     */
    byte[] open(byte[] value, String name) throws GeneralSecurityException {
        if (value.length < 2 || value[0] != VERSION) {
            throw new GeneralSecurityException("unknown entry format");
        }
        int idLength = value[1] & 0xff;
        if (value.length < 2 + idLength + IV_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("truncated entry");
        }
        String keyId = new String(value, 2, idLength, StandardCharsets.UTF_8);
        Keys key = keys.get(keyId);
        if (key == null) {
            throw new GeneralSecurityException("encrypted with key id '" + keyId + "', which is not configured");
        }
        int headerLength = 2 + idLength;
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key.encryption(), new GCMParameterSpec(TAG_BITS, value, headerLength, IV_BYTES));
        cipher.updateAAD(value, 0, headerLength);
        cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
        return cipher.doFinal(value, headerLength + IV_BYTES, value.length - headerLength - IV_BYTES);
    }

    private static byte[] header(String keyId) {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + id.length).put(VERSION).put((byte) id.length).put(id).array();
    }

    private static byte[] serialize(IssuedCredentials c) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            AwsSessionCredentials credentials = c.credentials(); // built on each call: once
            out.writeUTF(credentials.accessKeyId());
            out.writeUTF(credentials.secretAccessKey());
            out.writeUTF(credentials.sessionToken());
            out.writeLong(c.expiration().getEpochSecond());
            out.writeInt(c.expiration().getNano());
            out.writeUTF(c.roleArn());
            optional(out, c.assumedRoleArn());
            optional(out, c.assumedRoleId());
            optional(out, credentials.accountId().orElse(null));
            // Added after the first release of this format, at its end: a node of that release reads an entry without
            // them (it stops before), and this one reads that release's entries (nothing follows: none).
            optional(out, c.sourceIdentity());
            optional(out, c.stsRequestId());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void optional(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static IssuedCredentials deserialize(byte[] plain) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            String accessKeyId = in.readUTF();
            String secret = in.readUTF();
            String token = in.readUTF();
            Instant expiration = Instant.ofEpochSecond(in.readLong(), in.readInt());
            String roleArn = in.readUTF();
            String assumedRoleArn = optional(in);
            String assumedRoleId = optional(in);
            String accountId = optional(in);
            String sourceIdentity = in.available() > 0 ? optional(in) : null;
            String stsRequestId = in.available() > 0 ? optional(in) : null;
            AwsSessionCredentials.Builder credentials = AwsSessionCredentials.builder().accessKeyId(accessKeyId)
                    .secretAccessKey(secret).sessionToken(token).expirationTime(expiration).providerName("aws-delegation");
            if (accountId != null) {
                credentials.accountId(accountId);
            }
            return new IssuedCredentials(credentials.build(), expiration, roleArn, assumedRoleArn, assumedRoleId,
                    sourceIdentity, stsRequestId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String optional(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static byte[] hmac(byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "CredentialCipher[activeKey=" + activeKey + ", keys=" + keys.keySet() + "]";
    }
}

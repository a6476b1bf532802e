package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.config.LoginSettings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The built-in login's keys, from {@code login.encryptionKey}: one AES-256 key for the pending-login cookie and one for
 * the tokens a relying-party session keeps, each derived from the configured key with HMAC-SHA256 and its own label,
 * so that every node given the same key derives the same two. Without a configured key the cookie key is made at
 * start-up (a login then has to come back to the node it started on) and the session keeps its tokens unsealed.
 */
final class LoginKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int GCM_IV_BYTES = 12;
    private static final int GCM_TAG_BITS = 128;

    private LoginKeys() {
    }

    /** The pending-login cookie's key: derived from {@code login.encryptionKey}, or made now when there is none. */
    static SecretKey cookieKey(LoginSettings settings) {
        if (settings.encryptionKey() != null) {
            return derive(settings.encryptionKey(), "aws-delegation pending-login cookie v1");
        }
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 is not available in this JVM", e);
        }
    }

    /** The sealer of the session's tokens, or {@code null} without {@code login.encryptionKey}. */
    static TokenSealer sessionSealer(LoginSettings settings) {
        return settings.encryptionKey() == null ? null
                : new TokenSealer(derive(settings.encryptionKey(), "aws-delegation session tokens v1"));
    }

    private static SecretKey derive(String base64Key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key.trim()), "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal(label.getBytes(StandardCharsets.US_ASCII)), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /**
     * Encrypts and authenticates bytes with AES-GCM (a random 96-bit IV before the ciphertext), binding them to
     * associated data: what is sealed for one user's session opens for that session only.
     */
    static final class TokenSealer {

        private final SecretKey key;

        TokenSealer(SecretKey key) {
            this.key = key;
        }

        byte[] seal(byte[] plain, String associatedData) {
            try {
                byte[] iv = new byte[GCM_IV_BYTES];
                RANDOM.nextBytes(iv);
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(GCM_TAG_BITS, iv));
                cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
                byte[] sealed = cipher.doFinal(plain);
                byte[] out = new byte[iv.length + sealed.length];
                System.arraycopy(iv, 0, out, 0, iv.length);
                System.arraycopy(sealed, 0, out, iv.length, sealed.length);
                return out;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot encrypt the session's tokens", e);
            }
        }

        /** Returns the plain bytes, or {@code null} when they were sealed under another key or for other data. */
        byte[] open(byte[] sealed, String associatedData) {
            if (sealed == null || sealed.length <= GCM_IV_BYTES + GCM_TAG_BITS / 8) {
                return null;
            }
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(GCM_TAG_BITS, sealed, 0, GCM_IV_BYTES));
                cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
                return cipher.doFinal(sealed, GCM_IV_BYTES, sealed.length - GCM_IV_BYTES);
            } catch (GeneralSecurityException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return "TokenSealer[AES-256-GCM]";
        }
    }
}

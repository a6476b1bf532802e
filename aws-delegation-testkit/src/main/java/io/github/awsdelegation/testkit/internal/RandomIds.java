package io.github.awsdelegation.testkit.internal;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The testkit's one source of random keys and ids, each shaped like AWS's or the OAuth server's: access key ids,
 * secret access keys, session tokens, opaque URL-safe tokens and certificate serial numbers.
 */
public final class RandomIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] KEY_ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] SECRET_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final int SESSION_TOKEN_BYTES = 270;

    private RandomIds() {
    }

    /** Returns a temporary access key id: {@code ASIA} and 16 base-32 characters, 20 in all, as STS issues. */
    public static String temporaryAccessKeyId() {
        return "ASIA" + random(KEY_ID_CHARACTERS, 16);
    }

    /** Returns a secret access key: 40 base-64 characters. */
    public static String secretAccessKey() {
        return random(SECRET_CHARACTERS, 40);
    }

    /** Returns an opaque session token about as long as AWS's; it begins like AWS's ("IQoJb3JpZ2luX2Vj", "!\n\torigin_ec"). */
    public static String sessionToken() {
        return "IQoJb3JpZ2luX2Vj" + Base64.getEncoder().encodeToString(bytes(SESSION_TOKEN_BYTES));
    }

    /** Returns {@code bytes} random bytes as unpadded base64url: an authorization code, refresh token or state. */
    public static String urlSafeToken(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(bytes));
    }

    /** Returns a positive serial number of up to 64 bits for a certificate (RFC 5280 §4.1.2.2: positive, at most 20 octets). */
    public static BigInteger serialNumber() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static byte[] bytes(int count) {
        byte[] out = new byte[count];
        RANDOM.nextBytes(out);
        return out;
    }

    private static String random(char[] alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet[RANDOM.nextInt(alphabet.length)]);
        }
        return out.toString();
    }
}

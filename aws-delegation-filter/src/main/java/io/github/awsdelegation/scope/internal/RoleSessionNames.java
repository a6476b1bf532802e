package io.github.awsdelegation.scope.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Derives STS role session names from user identifiers, one to one.
 *
 * <p>STS requires 2 to 64 characters from {@code [\w+=,.@-]} (STS AssumeRole* {@code RoleSessionName}). An
 * identifier made only of those characters, 2 to 64 long, is its own session name ({@code admin@example.com}).
 * Any other is changed: each other character becomes {@code -}, the name is cut to fit, and it always ends with
 * {@code -} and {@value #HASH_LENGTH} hex digits of the SHA-256 of the whole identifier, so {@code auth0|42},
 * {@code auth0 42} and {@code auth0-42} get three different names ({@code auth0-42-&lt;hash of auth0|42&gt;},
 * {@code auth0-42-&lt;hash of auth0 42&gt;} and {@code auth0-42}). An unchanged identifier that itself ends like a changed
 * one ({@code -} and {@value #HASH_LENGTH} hex digits) gets the suffix too, so it cannot take another user's name.
 * The session name is the user in {@code aws:userid}, the assumed-role ARN, CloudTrail and {@code ${sessionName}}:
 * two users must never share one.
 */
public final class RoleSessionNames {

    /** STS's minimum length of a role session name. */
    public static final int MIN_LENGTH = 2;

    /** STS's maximum length of a role session name. */
    public static final int MAX_LENGTH = 64;

    private RoleSessionNames() {
    }

    /** Length of the hash suffix of a changed name: 12 hex digits (48 bits of SHA-256). */
    public static final int HASH_LENGTH = 12;

    /** Returns a valid role session name for the user identifier (usually the {@code sub} claim), unique to it. */
    public static String of(String userId) {
        StringBuilder name = new StringBuilder(userId.length());
        userId.codePoints().forEach(c -> name.append(isAllowed(c) ? (char) c : '-'));
        String s = name.toString();
        boolean unchanged = s.equals(userId) && s.length() >= MIN_LENGTH && s.length() <= MAX_LENGTH;
        if (unchanged && !looksChanged(s)) {
            return s;
        }
        String suffix = "-" + sha256Hex(userId).substring(0, HASH_LENGTH);
        return (s.length() > MAX_LENGTH - suffix.length() ? s.substring(0, MAX_LENGTH - suffix.length()) : s) + suffix;
    }

    // Ends with "-" and HASH_LENGTH lower-case hex digits, as every changed name does.
    private static boolean looksChanged(String s) {
        if (s.length() < HASH_LENGTH + 1 || s.charAt(s.length() - HASH_LENGTH - 1) != '-') {
            return false;
        }
        for (int i = s.length() - HASH_LENGTH; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAllowed(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '+' || c == '=' || c == ',' || c == '.' || c == '@' || c == '-';
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}

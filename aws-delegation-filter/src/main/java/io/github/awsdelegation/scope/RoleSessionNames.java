package io.github.awsdelegation.scope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Derives STS role session names from user identifiers.
 *
 * <p>STS requires 2 to 64 characters from {@code [\w+=,.@-]} (STS AssumeRole* {@code RoleSessionName}).
 * Other characters become {@code -}, so {@code auth0|5f7c} becomes {@code auth0-5f7c}. A name that must be
 * shortened keeps its start and ends with a hash of the whole identifier, so two long identifiers with a
 * common prefix still get different names. The session name is visible in CloudTrail and in the
 * assumed-role ARN.
 */
public final class RoleSessionNames {

    /** STS's minimum length of a role session name. */
    public static final int MIN_LENGTH = 2;

    /** STS's maximum length of a role session name. */
    public static final int MAX_LENGTH = 64;

    private RoleSessionNames() {
    }

    /** Returns a valid role session name for the user identifier (usually the {@code sub} claim). */
    public static String of(String userId) {
        StringBuilder name = new StringBuilder(userId.length());
        userId.codePoints().forEach(c -> name.append(isAllowed(c) ? (char) c : '-'));
        String s = name.toString();
        if (s.length() > MAX_LENGTH) {
            s = s.substring(0, MAX_LENGTH - 13) + "-" + sha256Hex(userId).substring(0, 12);
        }
        while (s.length() < MIN_LENGTH) {
            s = s + "-";
        }
        return s;
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

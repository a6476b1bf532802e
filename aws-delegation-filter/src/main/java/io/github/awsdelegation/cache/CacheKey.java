package io.github.awsdelegation.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Identifies one set of cached credentials: one user, one role, one session shaped exactly so.
 *
 * @param issuer      the user's issuer
 * @param subject     the user's subject
 * @param roleArn     the role
 * @param sessionHash a SHA-256 of everything else that shapes the session ({@link SessionKeys#of}), or of the session
 *                    policy alone ({@link #of}); the empty string for nothing
 */
public record CacheKey(String issuer, String subject, String roleArn, String sessionHash) {

    public CacheKey {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(sessionHash, "sessionHash");
    }

    /**
     * Returns the key for a user, role and rendered session policy ({@code null} for none), for callers whose sessions
     * differ in nothing else; the pipeline keys on the whole request ({@link SessionKeys#of}).
     */
    public static CacheKey of(String issuer, String subject, String roleArn, String sessionPolicy) {
        return new CacheKey(issuer, subject, roleArn, sessionPolicy == null ? "" : sha256(sessionPolicy));
    }

    /** Returns the user part of the key, under which logout evicts all of a user's credentials. */
    public UserKey user() {
        return new UserKey(issuer, subject);
    }

    /**
     * Identifies a user across roles.
     *
     * @param issuer  the user's issuer
     * @param subject the user's subject
     */
    public record UserKey(String issuer, String subject) {
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}

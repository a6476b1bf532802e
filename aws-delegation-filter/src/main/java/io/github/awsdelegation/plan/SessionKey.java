package io.github.awsdelegation.plan;

import java.util.HexFormat;
import java.util.Objects;

/**
 * Identifies one set of cached credentials: one user, one role, one session shaped exactly so. A
 * {@link io.github.awsdelegation.plan.SessionPlan} makes it from its own fields.
 *
 * <p>A value: two keys of equal fields are equal. A cache holds one per user, so a session hash in the form a plan
 * gives it (a SHA-256 in 64 lower-case hex digits) is kept as its 32 bytes (issue 17); {@link #sessionHash()} returns
 * it equal to the one given.
 */
public final class SessionKey {

    private static final HexFormat HEX = HexFormat.of();

    private final String issuer;
    private final String subject;
    private final String roleArn;
    // The session hash: its 256 bits when 64 lower-case hex digits (sessionHashText null), else the text.
    private final long hash0;
    private final long hash1;
    private final long hash2;
    private final long hash3;
    private final String sessionHashText;

    /**
     * Creates the key.
     *
     * @param issuer      the user's issuer ({@code iss})
     * @param subject     the user's subject ({@code sub})
     * @param roleArn     the role
     * @param sessionHash a SHA-256 of everything else that shapes the session, in a canonical encoding; the empty string
     *                    for nothing
     */
    public SessionKey(String issuer, String subject, String roleArn, String sessionHash) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.roleArn = Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(sessionHash, "sessionHash");
        if (isSha256Hex(sessionHash)) {
            this.hash0 = HexFormat.fromHexDigitsToLong(sessionHash, 0, 16);
            this.hash1 = HexFormat.fromHexDigitsToLong(sessionHash, 16, 32);
            this.hash2 = HexFormat.fromHexDigitsToLong(sessionHash, 32, 48);
            this.hash3 = HexFormat.fromHexDigitsToLong(sessionHash, 48, 64);
            this.sessionHashText = null;
        } else {
            this.hash0 = 0;
            this.hash1 = 0;
            this.hash2 = 0;
            this.hash3 = 0;
            this.sessionHashText = sessionHash;
        }
    }

    private static boolean isSha256Hex(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** Returns the user's issuer ({@code iss}). */
    public String issuer() {
        return issuer;
    }

    /** Returns the user's subject ({@code sub}). */
    public String subject() {
        return subject;
    }

    /** Returns the role. */
    public String roleArn() {
        return roleArn;
    }

    /** Returns the SHA-256 of everything else that shapes the session, as given; the empty string for nothing. */
    public String sessionHash() {
        if (sessionHashText != null) {
            return sessionHashText;
        }
        return HEX.toHexDigits(hash0) + HEX.toHexDigits(hash1) + HEX.toHexDigits(hash2) + HEX.toHexDigits(hash3);
    }

    /** Returns the user part of the key, under which logout evicts all of a user's credentials. */
    public UserKey user() {
        return new UserKey(issuer, subject);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof SessionKey k && hash0 == k.hash0 && hash1 == k.hash1 && hash2 == k.hash2
                && hash3 == k.hash3 && subject.equals(k.subject) && roleArn.equals(k.roleArn) && issuer.equals(k.issuer)
                && Objects.equals(sessionHashText, k.sessionHashText);
    }

    @Override
    public int hashCode() {
        int h = issuer.hashCode();
        h = 31 * h + subject.hashCode();
        h = 31 * h + roleArn.hashCode();
        return 31 * h + (sessionHashText != null ? sessionHashText.hashCode() : Long.hashCode(hash0 ^ hash1 ^ hash2 ^ hash3));
    }

    @Override
    public String toString() {
        return "SessionKey[issuer=" + issuer + ", subject=" + subject + ", roleArn=" + roleArn + ", sessionHash="
                + sessionHash() + "]";
    }

    /**
     * Identifies a user across roles.
     *
     * @param issuer  the user's issuer ({@code iss})
     * @param subject the user's subject ({@code sub})
     */
    public record UserKey(String issuer, String subject) {
    }
}

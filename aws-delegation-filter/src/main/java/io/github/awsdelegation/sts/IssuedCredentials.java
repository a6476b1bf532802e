package io.github.awsdelegation.sts;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Temporary credentials STS issued for one user and role.
 *
 * <p>{@link #toString()} shows the access key id and the assumed role, never the secret key or session
 * token.
 *
 * <p>A cache holds one per user, so they are kept compact (issue 17): the assumed-role ARN and id STS returns share
 * everything but the role session name with every session of the role ({@code
 * arn:aws:sts::123456789012:assumed-role/buyer/} and {@code AROA...:}), so those two parts are kept once per role and
 * the session name once per value, and an STS request id in the canonical UUID form is kept as its 128 bits. The
 * accessors return strings equal to the ones given; values of another shape (another STS) are kept as given. The
 * access key id, secret key and session token (ASCII, as STS issues them) are kept in one byte array with the session
 * name, and {@link #credentials()} builds the SDK's object from it when asked; credentials that carry an account id or
 * a character outside ISO-8859-1 are kept as the object given.
 */
public final class IssuedCredentials {

    // How many roles' shared parts are kept at most; the values of further roles keep their strings as given.
    static final int MAX_SHARED_ROLES = 1024;
    private static final Map<SharedRoleParts, SharedRoleParts> SHARED_ROLES = new ConcurrentHashMap<>();

    // The key id, secret key, session token and (with a SharedRoleParts) the session name in ISO-8859-1, one after the
    // other (keyIdEnd, secretEnd, tokenEnd mark their ends); or the AwsSessionCredentials as given (see pack).
    private final Object secrets;
    private final short keyIdEnd;
    private final short secretEnd;
    private final int tokenEnd;
    // The given credentials' provider name (the SDK shows it in its logs), when packed: the filter's is one literal.
    private final String providerName;
    private final Instant expiration;
    private final String roleArn;
    private final String sourceIdentity;
    // The role's SharedRoleParts (the session name is packed after the token), or AssumedRole as given, or null.
    private final Object assumedRole;
    // The request id: its two halves when a UUID in canonical form (stsRequestIdText null), else the text (or null).
    private final long stsRequestIdHigh;
    private final long stsRequestIdLow;
    private final String stsRequestIdText;

    // The ARN and id of a role's sessions without the session name, shared by the values of that role.
    private record SharedRoleParts(String arnPrefix, String idPrefix) {
    }

    private record AssumedRole(String arn, String id) {
    }

    /**
     * Creates the value.
     *
     * @param credentials    the session credentials (their expiration time is set to {@code expiration})
     * @param expiration     when STS says they expire
     * @param roleArn        the role that was assumed
     * @param assumedRoleArn the assumed-role ARN STS returned, e.g. {@code arn:aws:sts::123456789012:assumed-role/buyer/auth0-42}
     * @param assumedRoleId  the assumed-role id STS returned, e.g. {@code AROA...:auth0-42}
     */
    public IssuedCredentials(AwsSessionCredentials credentials, Instant expiration, String roleArn,
            String assumedRoleArn, String assumedRoleId) {
        this(credentials, expiration, roleArn, assumedRoleArn, assumedRoleId, null, null);
    }

    /**
     * Creates the value with what CloudTrail records of the call.
     *
     * @param credentials    the session credentials (their expiration time is set to {@code expiration})
     * @param expiration     when STS says they expire
     * @param roleArn        the role that was assumed
     * @param assumedRoleArn the assumed-role ARN STS returned
     * @param assumedRoleId  the assumed-role id STS returned
     * @param sourceIdentity the source identity STS returned, or {@code null} when the session has none
     * @param stsRequestId   the request id STS answered ({@code x-amzn-RequestId}), or {@code null} when unknown
     */
    public IssuedCredentials(AwsSessionCredentials credentials, Instant expiration, String roleArn,
            String assumedRoleArn, String assumedRoleId, String sourceIdentity, String stsRequestId) {
        Objects.requireNonNull(credentials, "credentials");
        this.expiration = Objects.requireNonNull(expiration, "expiration");
        this.roleArn = Objects.requireNonNull(roleArn, "roleArn");
        this.sourceIdentity = sourceIdentity;
        String name = sessionNameOf(assumedRoleArn, assumedRoleId);
        SharedRoleParts shared = name == null ? null : shared(assumedRoleArn, assumedRoleId, name.length());
        byte[] packed = pack(credentials, shared != null ? name : "");
        if (packed != null) {
            this.secrets = packed;
            this.keyIdEnd = (short) credentials.accessKeyId().length();
            this.secretEnd = (short) (keyIdEnd + credentials.secretAccessKey().length());
            this.tokenEnd = secretEnd + credentials.sessionToken().length();
            this.providerName = credentials.providerName().orElse(null);
        } else {
            this.secrets = expiration.equals(credentials.expirationTime().orElse(null)) ? credentials
                    : credentials.toBuilder().expirationTime(expiration).build();
            this.keyIdEnd = 0;
            this.secretEnd = 0;
            this.tokenEnd = 0;
            this.providerName = null;
            shared = null; // the session name has no place of its own: the ARN and id are kept as given
        }
        if (shared != null) {
            this.assumedRole = shared;
        } else {
            this.assumedRole = assumedRoleArn == null && assumedRoleId == null ? null
                    : new AssumedRole(assumedRoleArn, assumedRoleId);
        }
        if (isCanonicalUuid(stsRequestId)) {
            UUID uuid = UUID.fromString(stsRequestId);
            this.stsRequestIdHigh = uuid.getMostSignificantBits();
            this.stsRequestIdLow = uuid.getLeastSignificantBits();
            this.stsRequestIdText = null;
        } else {
            this.stsRequestIdHigh = 0;
            this.stsRequestIdLow = 0;
            this.stsRequestIdText = stsRequestId;
        }
    }

    // The key id, secret and token, then the name, in ISO-8859-1; null when the credentials carry an account id (not
    // kept), a value longer than the offsets hold or a character beyond ISO-8859-1 (STS issues ASCII): kept as given.
    private static byte[] pack(AwsSessionCredentials c, String name) {
        String keyId = c.accessKeyId();
        String secret = c.secretAccessKey();
        String token = c.sessionToken();
        if (c.accountId().isPresent() || keyId.length() + secret.length() > Short.MAX_VALUE
                || !isLatin1(keyId) || !isLatin1(secret) || !isLatin1(token)) {
            return null;
        }
        byte[] packed = new byte[keyId.length() + secret.length() + token.length() + name.length()];
        int at = 0;
        for (String value : new String[] {keyId, secret, token, name}) {
            for (int i = 0; i < value.length(); i++) {
                packed[at++] = (byte) value.charAt(i); // ISO-8859-1, checked above (the name is US-ASCII)
            }
        }
        return packed;
    }

    private static boolean isLatin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    // The session name when the two have STS's shape, ARN ".../NAME" and id "ROLEID:NAME", in US-ASCII; else null.
    private static String sessionNameOf(String arn, String id) {
        if (arn == null || id == null) {
            return null;
        }
        int colon = id.indexOf(':');
        int length = id.length() - colon - 1;
        if (colon < 1 || length < 1 || arn.length() <= length + 1 || arn.charAt(arn.length() - length - 1) != '/'
                || !arn.endsWith(id.substring(colon + 1))) {
            return null;
        }
        for (int i = colon + 1; i < id.length(); i++) {
            if (id.charAt(i) >= 0x80) {
                return null;
            }
        }
        return id.substring(colon + 1);
    }

    private static SharedRoleParts shared(String arn, String id, int nameLength) {
        SharedRoleParts parts = new SharedRoleParts(arn.substring(0, arn.length() - nameLength),
                id.substring(0, id.length() - nameLength));
        SharedRoleParts known = SHARED_ROLES.get(parts);
        if (known != null) {
            return known;
        }
        if (SHARED_ROLES.size() >= MAX_SHARED_ROLES) {
            return null; // STS gave many roles or role ids (another STS's shape): kept as given, nothing grows further
        }
        known = SHARED_ROLES.putIfAbsent(parts, parts);
        return known != null ? known : parts;
    }

    // "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" in lower-case hex, not all zero: what UUID.toString() gives back equal.
    private static boolean isCanonicalUuid(String s) {
        if (s == null || s.length() != 36 || s.equals("00000000-0000-0000-0000-000000000000")) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the credentials, ready for any AWS SDK v2 client: a new object on each call (equal to the last), built from
     * the compact form the cache keeps (issue 17), which costs a few hundred nanoseconds and about a kilobyte; hold it
     * for the request rather than call this again for each AWS call. Its expiration time is {@link #expiration()}, its
     * provider name the given one ({@code aws-delegation} for the filter's); credentials given with an account id are
     * returned as given.
     */
    public AwsSessionCredentials credentials() {
        if (!(secrets instanceof byte[] packed)) {
            return (AwsSessionCredentials) secrets;
        }
        return AwsSessionCredentials.builder()
                .accessKeyId(new String(packed, 0, keyIdEnd, StandardCharsets.ISO_8859_1))
                .secretAccessKey(new String(packed, keyIdEnd, secretEnd - keyIdEnd, StandardCharsets.ISO_8859_1))
                .sessionToken(new String(packed, secretEnd, tokenEnd - secretEnd, StandardCharsets.ISO_8859_1))
                .expirationTime(expiration)
                .providerName(providerName)
                .build();
    }

    /** Returns the access key id, which is not secret: what {@code toString()} and CloudTrail show of the credentials. */
    public String accessKeyId() {
        return secrets instanceof byte[] packed ? new String(packed, 0, keyIdEnd, StandardCharsets.ISO_8859_1)
                : ((AwsSessionCredentials) secrets).accessKeyId();
    }

    /** Returns when the credentials expire. */
    public Instant expiration() {
        return expiration;
    }

    /** Returns how long the credentials remain valid at {@code now}; negative once expired. */
    public Duration remainingAt(Instant now) {
        return Duration.between(now, expiration);
    }

    /** Returns the ARN of the role that was assumed. */
    public String roleArn() {
        return roleArn;
    }

    /** Returns the assumed-role ARN, the identity AWS sees and CloudTrail records. */
    public String assumedRoleArn() {
        if (assumedRole instanceof SharedRoleParts shared) {
            return shared.arnPrefix() + sessionName();
        }
        return assumedRole instanceof AssumedRole given ? given.arn() : null;
    }

    /** Returns the assumed-role id ({@code AROA...:session}), as {@code aws:userid} in IAM policies. */
    public String assumedRoleId() {
        if (assumedRole instanceof SharedRoleParts shared) {
            return shared.idPrefix() + sessionName();
        }
        return assumedRole instanceof AssumedRole given ? given.id() : null;
    }

    // Only with SharedRoleParts, which only packed values have: the bytes after the token.
    private String sessionName() {
        byte[] packed = (byte[]) secrets;
        return new String(packed, tokenEnd, packed.length - tokenEnd, StandardCharsets.ISO_8859_1);
    }

    /** Returns the source identity STS returned, or {@code null} when the session has none. */
    public String sourceIdentity() {
        return sourceIdentity;
    }

    /**
     * Returns the request id STS answered ({@code x-amzn-RequestId}): the {@code requestID} of the {@code AssumeRole*}
     * event CloudTrail records; {@code null} when unknown (credentials not from STS).
     */
    public String stsRequestId() {
        if (stsRequestIdText == null && (stsRequestIdHigh != 0 || stsRequestIdLow != 0)) {
            return new UUID(stsRequestIdHigh, stsRequestIdLow).toString();
        }
        return stsRequestIdText;
    }

    @Override
    public String toString() {
        return "IssuedCredentials[accessKeyId=" + accessKeyId() + ", assumedRoleArn=" + assumedRoleArn()
                + ", expiration=" + expiration + ", stsRequestId=" + stsRequestId() + "]";
    }
}

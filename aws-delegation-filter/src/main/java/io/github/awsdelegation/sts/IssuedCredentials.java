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
 * accessors return strings equal to the ones given; values of another shape (another STS) are kept as given.
 */
public final class IssuedCredentials {

    // How many roles' shared parts are kept at most; the values of further roles keep their strings as given.
    static final int MAX_SHARED_ROLES = 1024;
    private static final Map<SharedRoleParts, SharedRoleParts> SHARED_ROLES = new ConcurrentHashMap<>();

    private final AwsSessionCredentials credentials;
    private final Instant expiration;
    private final String roleArn;
    private final String sourceIdentity;
    // The role's SharedRoleParts with sessionName, or AssumedRole as given (sessionName null), or null for neither.
    private final Object assumedRole;
    private final byte[] sessionName;
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
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.expiration = Objects.requireNonNull(expiration, "expiration");
        this.roleArn = Objects.requireNonNull(roleArn, "roleArn");
        this.sourceIdentity = sourceIdentity;
        byte[] name = sessionNameOf(assumedRoleArn, assumedRoleId);
        SharedRoleParts shared = name == null ? null : shared(assumedRoleArn, assumedRoleId, name.length);
        if (shared != null) {
            this.assumedRole = shared;
            this.sessionName = name;
        } else {
            this.assumedRole = assumedRoleArn == null && assumedRoleId == null ? null
                    : new AssumedRole(assumedRoleArn, assumedRoleId);
            this.sessionName = null;
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

    // The session name when the two have STS's shape, ARN ".../NAME" and id "ROLEID:NAME", in US-ASCII; else null.
    private static byte[] sessionNameOf(String arn, String id) {
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
        return id.substring(colon + 1).getBytes(StandardCharsets.US_ASCII);
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

    /** Returns the credentials, ready for any AWS SDK v2 client. */
    public AwsSessionCredentials credentials() {
        return credentials;
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
            return shared.arnPrefix() + new String(sessionName, StandardCharsets.US_ASCII);
        }
        return assumedRole instanceof AssumedRole given ? given.arn() : null;
    }

    /** Returns the assumed-role id ({@code AROA...:session}), as {@code aws:userid} in IAM policies. */
    public String assumedRoleId() {
        if (assumedRole instanceof SharedRoleParts shared) {
            return shared.idPrefix() + new String(sessionName, StandardCharsets.US_ASCII);
        }
        return assumedRole instanceof AssumedRole given ? given.id() : null;
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
        return "IssuedCredentials[accessKeyId=" + credentials.accessKeyId() + ", assumedRoleArn=" + assumedRoleArn()
                + ", expiration=" + expiration + ", stsRequestId=" + stsRequestId() + "]";
    }
}

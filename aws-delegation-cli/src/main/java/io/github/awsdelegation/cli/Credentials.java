package io.github.awsdelegation.cli;

import java.time.Instant;
import java.util.Map;

/**
 * Temporary credentials from STS.
 *
 * @param accessKeyId     the access key id
 * @param secretAccessKey the secret key (never printed by {@link #toString()})
 * @param sessionToken    the session token (never printed by {@link #toString()})
 * @param expiration      when they expire
 */
record Credentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {

    /** Returns the AWS CLI {@code credential_process} answer (version 1). */
    String credentialProcessJson() {
        return "{\"Version\":1,\"AccessKeyId\":\"" + json(accessKeyId) + "\",\"SecretAccessKey\":\"" + json(secretAccessKey)
                + "\",\"SessionToken\":\"" + json(sessionToken) + "\",\"Expiration\":\"" + expiration + "\"}";
    }

    /** Returns the keys of a profile in {@code ~/.aws/credentials}. */
    Map<String, String> profile() {
        return Map.of("aws_access_key_id", accessKeyId, "aws_secret_access_key", secretAccessKey, "aws_session_token", sessionToken);
    }

    private static String json(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "Credentials[" + accessKeyId + ", expires " + expiration + "]";
    }
}

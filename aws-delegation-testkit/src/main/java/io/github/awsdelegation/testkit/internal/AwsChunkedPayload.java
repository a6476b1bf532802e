package io.github.awsdelegation.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Decodes an S3 {@code aws-chunked} request body ("Signature Calculations for the Authorization Header:
 * Transferring Payload in Multiple Chunks"), as the AWS SDK sends uploads over plain HTTP, and verifies each
 * chunk's signature, chained from the seed signature of the {@code Authorization} header.
 *
 * <p>Supported {@code x-amz-content-sha256} values: {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD},
 * {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER} and {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}. Trailing
 * checksum headers are read past but not checked (nor is the trailer signature).
 */
public final class AwsChunkedPayload {

    private static final String EMPTY_SHA256 = SigV4Verifier.sha256Hex(new byte[0]);

    private AwsChunkedPayload() {
    }

    /** Returns whether a payload hash value announces an {@code aws-chunked} body. */
    public static boolean isChunked(String contentSha256) {
        return contentSha256 != null && contentSha256.startsWith("STREAMING-");
    }

    /**
     * Decodes the body and verifies the chunk signatures of a signed variant.
     *
     * @param body            the raw body
     * @param contentSha256   the {@code x-amz-content-sha256} value
     * @param authorization   the verified {@code Authorization} header (its signature is the seed)
     * @param secretAccessKey the secret of the signing credentials
     * @param amzDate         the {@code x-amz-date} value
     * @return the decoded payload
     * @throws StsError {@code SignatureDoesNotMatch} (403) for a bad chunk signature, {@code IncompleteBody} (400) for
     *     a malformed body
     */
    public static byte[] decode(byte[] body, String contentSha256, SigV4Verifier.Authorization authorization,
            String secretAccessKey, String amzDate) {
        boolean signed = contentSha256.startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
        if (!signed && !"STREAMING-UNSIGNED-PAYLOAD-TRAILER".equals(contentSha256)) {
            throw new StsError("InvalidArgument", 400, "x-amz-content-sha256 value " + contentSha256
                    + " is not supported by the testkit");
        }
        byte[] key = SigV4Verifier.signingKey(authorization, secretAccessKey);
        String scope = SigV4Verifier.scope(authorization);
        String previous = authorization.signature();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int lineEnd = indexOfCrlf(body, pos);
            if (lineEnd < 0) {
                throw incomplete();
            }
            String header = new String(body, pos, lineEnd - pos, StandardCharsets.US_ASCII);
            pos = lineEnd + 2;
            int semicolon = header.indexOf(';');
            String sizeText = semicolon < 0 ? header.trim() : header.substring(0, semicolon).trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                throw incomplete();
            }
            if (size < 0 || pos + size > body.length) {
                throw incomplete();
            }
            if (signed) {
                String marker = "chunk-signature=";
                int at = header.indexOf(marker);
                if (at < 0) {
                    throw new StsError("SignatureDoesNotMatch", 403, "A chunk of the aws-chunked body has no chunk-signature.");
                }
                String signature = header.substring(at + marker.length()).trim();
                byte[] chunk = java.util.Arrays.copyOfRange(body, pos, pos + size);
                String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + amzDate + "\n" + scope + "\n" + previous + "\n"
                        + EMPTY_SHA256 + "\n" + SigV4Verifier.sha256Hex(chunk);
                String expected = SigV4Verifier.hmacHex(key, stringToSign);
                if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                        signature.getBytes(StandardCharsets.US_ASCII))) {
                    throw new StsError("SignatureDoesNotMatch", 403, "The chunk signature of the aws-chunked body does"
                            + " not match.");
                }
                previous = signature;
            }
            out.write(body, pos, size);
            pos += size;
            if (size == 0) {
                // Trailing headers (checksums, trailer signature) follow up to the end of the body.
                return out.toByteArray();
            }
            if (pos + 2 > body.length || body[pos] != '\r' || body[pos + 1] != '\n') {
                throw incomplete();
            }
            pos += 2;
        }
    }

    private static int indexOfCrlf(byte[] body, int from) {
        for (int i = from; i + 1 < body.length; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static StsError incomplete() {
        return new StsError("IncompleteBody", 400, "The aws-chunked request body is malformed.");
    }
}

package io.github.awsdelegation.testkit.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies an AWS Signature Version 4 {@code Authorization} header (the header form, not presigned URLs), as
 * described in the IAM User Guide's "Create a signed AWS API request": canonical request, string to sign, the
 * derived signing key and the HMAC-SHA256 signature, compared in constant time.
 *
 * <p>It does not compare the request time with a clock: the SDK signs with the system clock while tests may give
 * the STS a fake one.
 */
public final class SigV4Verifier {

    /** The only signing algorithm AWS accepts for SigV4 header signing. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^,\\s]+)\\s*,\\s*SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-fA-F]+)\\s*");
    private static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature"
            + " you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation"
            + " for details.";

    private SigV4Verifier() {
    }

    /**
     * The parts of a parsed {@code Authorization} header.
     *
     * @param accessKeyId the access key id from {@code Credential=}
     * @param date the {@code yyyyMMdd} date of the credential scope
     * @param region the region of the credential scope
     * @param service the service of the credential scope
     * @param signedHeaders the lower-case signed header names, in order
     * @param signature the hex signature
     */
    public record Authorization(String accessKeyId, String date, String region, String service,
            List<String> signedHeaders, String signature) {

        @Override
        public String toString() {
            return "Authorization[accessKeyId=" + accessKeyId + ", scope=" + date + "/" + region + "/" + service + "]";
        }
    }

    /**
     * Parses the {@code Authorization} header.
     *
     * @throws StsError {@code MissingAuthenticationToken} (403) when absent, {@code IncompleteSignature} (400) when
     *     malformed
     */
    public static Authorization parse(String header) {
        if (header == null || header.isBlank()) {
            throw new StsError("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
        }
        Matcher matcher = AUTHORIZATION.matcher(header.trim());
        if (!matcher.matches()) {
            throw new StsError("IncompleteSignature", 400, "Authorization header requires 'Credential', 'Signature' and"
                    + " 'SignedHeaders' parameters with the AWS4-HMAC-SHA256 algorithm.");
        }
        String[] scope = matcher.group(1).split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            throw new StsError("IncompleteSignature", 400, "Credential should be scoped to a valid region and end with"
                    + " aws4_request, not '" + matcher.group(1).substring(matcher.group(1).indexOf('/') + 1) + "'.");
        }
        List<String> signed = List.of(matcher.group(2).toLowerCase(Locale.ROOT).split(";"));
        return new Authorization(scope[0], scope[1], scope[2], scope[3], signed, matcher.group(3).toLowerCase(Locale.ROOT));
    }

    /**
     * Verifies the signature of a request.
     *
     * @param authorization the parsed header
     * @param secretAccessKey the secret of {@code authorization.accessKeyId()}
     * @param method the HTTP method
     * @param uri the request URI as received (raw path and query)
     * @param headers the request headers; names are looked up case-insensitively
     * @param body the request body
     * @param expectedService the service the credential must be scoped to, e.g. {@code sts}
     * @throws StsError {@code SignatureDoesNotMatch} (403) or {@code IncompleteSignature} (400) when it fails
     */
    public static void verify(Authorization authorization, String secretAccessKey, String method, URI uri,
            HeaderLookup headers, byte[] body, String expectedService) {
        verify(authorization, secretAccessKey, method, uri, headers, body, expectedService, false);
    }

    /**
     * Verifies the signature of a request, with S3's variant of the canonical request when {@code s3} is true: the
     * path is used as sent (S3 neither normalizes nor encodes it again), and the payload hash may be
     * {@code UNSIGNED-PAYLOAD} or one of the {@code STREAMING-...} values of an {@code aws-chunked} body, whose
     * chunks {@link AwsChunkedPayload} decodes and verifies.
     *
     * @throws StsError {@code SignatureDoesNotMatch} (403) or {@code IncompleteSignature} (400) when it fails
     */
    public static void verify(Authorization authorization, String secretAccessKey, String method, URI uri,
            HeaderLookup headers, byte[] body, String expectedService, boolean s3) {
        if (!expectedService.equals(authorization.service())) {
            throw new StsError("SignatureDoesNotMatch", 403,
                    "Credential should be scoped to correct service: '" + expectedService + "'. ");
        }
        String amzDate = headers.first("x-amz-date");
        if (amzDate == null || !amzDate.matches("\\d{8}T\\d{6}Z")) {
            throw new StsError("IncompleteSignature", 400, "Authorization header requires existence of either a"
                    + " 'X-Amz-Date' or a 'Date' header (LocalSts supports X-Amz-Date).");
        }
        if (!amzDate.startsWith(authorization.date())) {
            throw new StsError("SignatureDoesNotMatch", 403, "Date in Credential scope does not match YYYYMMDD from"
                    + " ISO-8601 version of date from HTTP: '" + authorization.date() + "' != '"
                    + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
        }
        if (!authorization.signedHeaders().contains("host")) {
            throw new StsError("SignatureDoesNotMatch", 403, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }
        String payloadHash = hex(sha256(body));
        String declaredHash = headers.first("x-amz-content-sha256");
        boolean streaming = s3 && declaredHash != null && declaredHash.startsWith("STREAMING-");
        if (declaredHash != null && !"UNSIGNED-PAYLOAD".equals(declaredHash) && !streaming
                && !declaredHash.equalsIgnoreCase(payloadHash)) {
            throw new StsError("XAmzContentSHA256Mismatch", 400,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        String canonical = canonicalRequest(method, uri, headers, authorization.signedHeaders(),
                declaredHash != null ? declaredHash : payloadHash, s3);
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope(authorization) + "\n"
                + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        String expected = hex(hmac(signingKey(authorization, secretAccessKey), stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                authorization.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw new StsError("SignatureDoesNotMatch", 403, SIGNATURE_MISMATCH);
        }
    }

    /** Looks up request headers by lower-case name. */
    @FunctionalInterface
    public interface HeaderLookup {
        /** Returns all values of the header, or an empty list. */
        List<String> all(String lowerCaseName);

        /** Returns the first value of the header, or null. */
        default String first(String lowerCaseName) {
            List<String> values = all(lowerCaseName);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    static String canonicalRequest(String method, URI uri, HeaderLookup headers, List<String> signedHeaders,
            String payloadHash) {
        return canonicalRequest(method, uri, headers, signedHeaders, payloadHash, false);
    }

    static String canonicalRequest(String method, URI uri, HeaderLookup headers, List<String> signedHeaders,
            String payloadHash, boolean s3) {
        StringBuilder canonical = new StringBuilder();
        canonical.append(method).append('\n');
        String rawPath = uri.getRawPath();
        canonical.append(s3 ? (rawPath == null || rawPath.isEmpty() ? "/" : rawPath) : canonicalUri(rawPath)).append('\n');
        canonical.append(canonicalQuery(uri.getRawQuery())).append('\n');
        for (String name : signedHeaders) {
            List<String> values = headers.all(name);
            List<String> trimmed = new ArrayList<>();
            for (String value : values == null ? List.<String>of() : values) {
                trimmed.add(value.trim().replaceAll("\\s+", " "));
            }
            canonical.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        canonical.append('\n');
        canonical.append(String.join(";", signedHeaders)).append('\n');
        canonical.append(payloadHash);
        return canonical.toString();
    }

    /** Normalizes the path and URI-encodes each segment of the (already encoded) path again, as non-S3 services do. */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        String normalized = URI.create("http://h" + rawPath).normalize().getRawPath();
        StringBuilder out = new StringBuilder();
        String[] segments = normalized.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(uriEncode(segments[i]));
        }
        String result = out.toString();
        return result.startsWith("/") ? result : "/" + result;
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode((eq < 0 ? pair : pair.substring(0, eq)).replace("+", "%2B"), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
            pairs.add(new String[] {uriEncode(name), uriEncode(value)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        List<String> joined = new ArrayList<>();
        for (String[] pair : pairs) {
            joined.add(pair[0] + "=" + pair[1]);
        }
        return String.join("&", joined);
    }

    /** URI-encodes every byte except the unreserved characters {@code A-Z a-z 0-9 - _ . ~}, with upper-case hex. */
    static String uriEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** Returns the credential scope of a signature: {@code <date>/<region>/<service>/aws4_request}. */
    public static String scope(Authorization authorization) {
        return authorization.date() + "/" + authorization.region() + "/" + authorization.service() + "/aws4_request";
    }

    /** Derives the SigV4 signing key of a credential scope from the secret access key. */
    public static byte[] signingKey(Authorization authorization, String secretAccessKey) {
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), authorization.date());
        key = hmac(key, authorization.region());
        key = hmac(key, authorization.service());
        return hmac(key, "aws4_request");
    }

    /** Returns the lower-case hex HMAC-SHA256 of UTF-8 {@code data} under {@code key}. */
    public static String hmacHex(byte[] key, String data) {
        return hex(hmac(key, data));
    }

    /** Returns the lower-case hex SHA-256 of {@code data}. */
    public static String sha256Hex(byte[] data) {
        return hex(sha256(data));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}

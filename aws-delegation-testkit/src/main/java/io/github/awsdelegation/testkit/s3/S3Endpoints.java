package io.github.awsdelegation.testkit.s3;

import static io.github.awsdelegation.testkit.internal.Html.escape;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.awsdelegation.testkit.IssuedSession;
import io.github.awsdelegation.testkit.iam.PolicyEvaluator;
import io.github.awsdelegation.testkit.internal.HttpExchanges;
import io.github.awsdelegation.testkit.internal.SessionRequests;
import io.github.awsdelegation.testkit.internal.StsError;
import io.github.awsdelegation.testkit.s3.LocalS3.StoredObject;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP side of {@link LocalS3}: path-style REST requests, SigV4 authentication, IAM authorisation, XML answers. */
final class S3Endpoints implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(S3Endpoints.class);
    private static final String XML = "application/xml";
    static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final LocalS3 s3;

    S3Endpoints(LocalS3 s3) {
        this.s3 = s3;
    }

    /** An S3 error answer. */
    private static final class S3Error extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String code;
        final int status;

        S3Error(String code, int status, String message) {
            super(message, null, false, false);
            this.code = code;
            this.status = status;
        }
    }

    /** What is recorded about a request; filled in as it is understood. */
    private static final class CallInfo {
        String operation = "Unknown";
        String bucket;
        String key;
        String principal;
        String reason;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(java.util.Locale.ROOT);
        exchange.getResponseHeaders().set("x-amz-request-id", requestId);
        CallInfo call = new CallInfo();
        Instant time = s3.sts().clock().instant();
        try {
            byte[] body = HttpExchanges.readBody(exchange);
            String rawPath = exchange.getRequestURI().getRawPath();
            String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
            int slash = path.indexOf('/', 1);
            call.bucket = path.length() <= 1 ? null : decode(slash < 0 ? path.substring(1) : path.substring(1, slash));
            call.key = slash < 0 || slash == path.length() - 1 ? null : decode(path.substring(slash + 1));
            Map<String, List<String>> query = HttpExchanges.parseForm(exchange.getRequestURI().getRawQuery());
            String method = exchange.getRequestMethod();
            call.operation = operation(method, call.bucket, call.key, query);
            SessionRequests.Authenticated authenticated;
            try {
                authenticated = SessionRequests.authenticate(s3.sts(), exchange, body, "s3", true);
            } catch (StsError e) {
                throw asS3Error(e);
            }
            IssuedSession session = authenticated.session();
            call.principal = session.assumedRoleArn();
            Answer answer = dispatch(call, method, query, session, authenticated.payload(), exchange);
            s3.record(new S3Call(time, call.operation, call.bucket, call.key, call.principal, answer.status, null, call.reason));
            answer.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            if (answer.body == null) {
                exchange.sendResponseHeaders(answer.status, -1);
            } else {
                HttpExchanges.send(exchange, answer.status, answer.contentType, answer.body);
            }
        } catch (HttpExchanges.BodyTooLargeException e) {
            answerError(exchange, new S3Error("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed"
                    + " size of the testkit's S3."), call, time, requestId);
        } catch (S3Error e) {
            answerError(exchange, e, call, time, requestId);
        } catch (IllegalArgumentException e) {
            answerError(exchange, new S3Error("InvalidURI", 400, "Couldn't parse the specified URI."), call, time, requestId);
        }
    }

    private static S3Error asS3Error(StsError e) {
        return switch (e.code()) {
            case SessionRequests.MISSING_AUTHENTICATION -> new S3Error("AccessDenied", 403, "Access Denied");
            case SessionRequests.UNKNOWN_ACCESS_KEY -> new S3Error("InvalidAccessKeyId", 403, e.getMessage());
            case SessionRequests.INVALID_TOKEN -> new S3Error("InvalidToken", 400, "The provided token is malformed or"
                    + " otherwise invalid.");
            case SessionRequests.EXPIRED_TOKEN -> new S3Error("ExpiredToken", 400, "The provided token has expired.");
            default -> new S3Error(e.code(), e.status(), e.getMessage());
        };
    }

    private void answerError(HttpExchange exchange, S3Error error, CallInfo call, Instant time, String requestId)
            throws IOException {
        LOG.debug("LocalS3 {} {}/{} -> {} {}", call.operation, call.bucket, call.key, error.status, error.code);
        s3.record(new S3Call(time, call.operation, call.bucket, call.key, call.principal, error.status, error.code,
                call.reason != null ? call.reason : error.getMessage()));
        String resource = "/" + (call.bucket == null ? "" : call.bucket) + (call.key == null ? "" : "/" + call.key);
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + escape(error.code) + "</Code><Message>"
                + escape(error.getMessage()) + "</Message><Resource>" + escape(resource) + "</Resource><RequestId>"
                + requestId + "</RequestId></Error>";
        HttpExchanges.send(exchange, error.status, XML, xml);
    }

    private static String operation(String method, String bucket, String key, Map<String, List<String>> query) {
        if (bucket == null) {
            return "GET".equals(method) ? "ListBuckets" : "Unsupported";
        }
        if (key == null) {
            return switch (method) {
                case "PUT" -> "CreateBucket";
                case "HEAD" -> "HeadBucket";
                case "DELETE" -> "DeleteBucket";
                case "GET" -> query.containsKey("list-type") ? "ListObjectsV2" : query.containsKey("location")
                        ? "GetBucketLocation" : "ListObjects";
                default -> "Unsupported";
            };
        }
        return switch (method) {
            case "PUT" -> query.containsKey("uploadId") || query.containsKey("tagging") || query.containsKey("acl")
                    ? "Unsupported" : "PutObject";
            case "GET" -> "GetObject";
            case "HEAD" -> "HeadObject";
            case "DELETE" -> "DeleteObject";
            default -> "Unsupported";
        };
    }

    /** An answer to send. */
    private record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Answer xml(String xml) {
            return new Answer(200, XML, xml.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Answer empty(int status, Map<String, String> headers) {
            return new Answer(status, null, null, headers);
        }
    }

    private Answer dispatch(CallInfo call, String method, Map<String, List<String>> query, IssuedSession session,
            byte[] payload, HttpExchange exchange) {
        String bucketArn = "arn:aws:s3:::" + call.bucket;
        String objectArn = bucketArn + "/" + call.key;
        switch (call.operation) {
            case "ListBuckets" -> {
                authorize(call, session, "s3:ListAllMyBuckets", "*", Map.of());
                StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult xmlns=\""
                        + NAMESPACE + "\"><Owner><ID>" + s3.sts().accountId() + "</ID></Owner><Buckets>");
                s3.buckets().values().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(b -> xml
                        .append("<Bucket><Name>").append(escape(b.name())).append("</Name><CreationDate>")
                        .append(ISO.format(b.created())).append("</CreationDate></Bucket>"));
                return Answer.xml(xml.append("</Buckets></ListAllMyBucketsResult>").toString());
            }
            case "CreateBucket" -> {
                authorize(call, session, "s3:CreateBucket", bucketArn, Map.of());
                if (s3.buckets().containsKey(call.bucket)) {
                    throw new S3Error("BucketAlreadyOwnedByYou", 409, "Your previous request to create the named bucket"
                            + " succeeded and you already own it.");
                }
                try {
                    s3.createBucket(call.bucket);
                } catch (IllegalArgumentException e) {
                    throw new S3Error("InvalidBucketName", 400, "The specified bucket is not valid.");
                }
                return Answer.empty(200, Map.of("Location", "/" + call.bucket));
            }
            case "HeadBucket" -> {
                authorize(call, session, "s3:ListBucket", bucketArn, Map.of());
                bucket(call.bucket);
                return Answer.empty(200, Map.of("x-amz-bucket-region", s3.region()));
            }
            case "GetBucketLocation" -> {
                authorize(call, session, "s3:GetBucketLocation", bucketArn, Map.of());
                bucket(call.bucket);
                return Answer.xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"" + NAMESPACE
                        + "\">" + ("us-east-1".equals(s3.region()) ? "" : s3.region()) + "</LocationConstraint>");
            }
            case "DeleteBucket" -> {
                authorize(call, session, "s3:DeleteBucket", bucketArn, Map.of());
                LocalS3.Bucket bucket = bucket(call.bucket);
                if (!bucket.objects().isEmpty()) {
                    throw new S3Error("BucketNotEmpty", 409, "The bucket you tried to delete is not empty");
                }
                s3.buckets().remove(call.bucket);
                return Answer.empty(204, Map.of());
            }
            case "ListObjectsV2", "ListObjects" -> {
                return list(call, query, session);
            }
            case "PutObject" -> {
                authorize(call, session, "s3:PutObject", objectArn, Map.of());
                LocalS3.Bucket bucket = bucket(call.bucket);
                String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
                StoredObject stored = stored(payload, contentType == null ? "binary/octet-stream" : contentType);
                bucket.objects().put(call.key, stored);
                return Answer.empty(200, Map.of("ETag", stored.etag()));
            }
            case "GetObject", "HeadObject" -> {
                authorize(call, session, "s3:GetObject", objectArn, Map.of());
                StoredObject object = bucket(call.bucket).objects().get(call.key);
                if (object == null) {
                    throw new S3Error("NoSuchKey", 404, "The specified key does not exist.");
                }
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("ETag", object.etag());
                headers.put("Last-Modified", HTTP_DATE.format(object.lastModified()));
                headers.put("Accept-Ranges", "bytes");
                if ("HeadObject".equals(call.operation)) {
                    headers.put("Content-Type", object.contentType());
                    headers.put("Content-Length", String.valueOf(object.data().length));
                    return Answer.empty(200, headers);
                }
                return new Answer(200, object.contentType(), object.data().clone(), headers);
            }
            case "DeleteObject" -> {
                authorize(call, session, "s3:DeleteObject", objectArn, Map.of());
                bucket(call.bucket).objects().remove(call.key);
                return Answer.empty(204, Map.of());
            }
            default -> throw new S3Error("NotImplemented", 501, "A header or query you provided implies functionality"
                    + " that the testkit's S3 does not implement.");
        }
    }

    private Answer list(CallInfo call, Map<String, List<String>> query, IssuedSession session) {
        boolean v2 = "ListObjectsV2".equals(call.operation);
        String prefix = first(query, "prefix", "");
        String delimiter = first(query, "delimiter", null);
        String maxKeysText = first(query, "max-keys", "1000");
        int maxKeys;
        try {
            maxKeys = Math.min(1000, Math.max(0, Integer.parseInt(maxKeysText)));
        } catch (NumberFormatException e) {
            throw new S3Error("InvalidArgument", 400, "Provided max-keys not an integer or within integer range");
        }
        Map<String, String> context = new LinkedHashMap<>();
        context.put("s3:prefix", prefix);
        if (delimiter != null) {
            context.put("s3:delimiter", delimiter);
        }
        context.put("s3:max-keys", maxKeysText);
        authorize(call, session, "s3:ListBucket", "arn:aws:s3:::" + call.bucket, context);
        boolean url = "url".equals(first(query, "encoding-type", null));
        String after = v2 ? first(query, "continuation-token", first(query, "start-after", "")) : first(query, "marker", "");
        return Answer.xml(S3Listing.xml(bucket(call.bucket), v2, prefix, delimiter, maxKeys, after, url));
    }

    private void authorize(CallInfo call, IssuedSession session, String action, String resource, Map<String, String> context) {
        PolicyEvaluator.Decision decision = SessionRequests.authorize(s3.sts(),
                session, action, resource, context);
        call.reason = decision.reason();
        if (!decision.allowed()) {
            LOG.info("LocalS3 denies {} on {} to {}: {}", action, resource, session.assumedRoleArn(), decision.reason());
            throw new S3Error("AccessDenied", 403, "Access Denied");
        }
    }

    private LocalS3.Bucket bucket(String name) {
        LocalS3.Bucket bucket = s3.buckets().get(name);
        if (bucket == null) {
            throw new S3Error("NoSuchBucket", 404, "The specified bucket does not exist");
        }
        return bucket;
    }

    static StoredObject stored(byte[] data, String contentType) {
        try {
            String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)) + "\"";
            return new StoredObject(data.clone(), contentType, etag, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String first(Map<String, List<String>> query, String name, String fallback) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    static String encode(String value, boolean url) {
        return url ? URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20") : value;
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}

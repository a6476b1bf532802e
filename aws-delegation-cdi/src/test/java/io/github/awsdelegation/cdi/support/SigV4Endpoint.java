package io.github.awsdelegation.cdi.support;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * A local HTTP endpoint that authenticates requests as AWS does: it takes the SigV4 {@code Authorization}
 * header apart, looks up the secret of its access key id, has the AWS SDK's own {@link AwsV4HttpSigner}
 * sign the request it received again, and accepts it only if both signatures agree and the session token
 * is the one issued with the key. It answers like a tiny S3 ({@code GET /bucket/key}, {@code GET
 * /bucket?list-type=2}) or an API Gateway method (anything signed for {@code execute-api}, answered with
 * JSON naming the caller), and records every call.
 *
 * <p>It stands for AWS at the boundary the tests do not own; the clients under test are real SDK clients.
 */
public final class SigV4Endpoint implements AutoCloseable {

    /** What the endpoint knows of an access key: its secret, its session token and whose it is. */
    public record Secret(String secretAccessKey, String sessionToken, String principal) {

        @Override
        public String toString() {
            return "Secret[principal=" + principal + "]";
        }
    }

    /**
     * One request the endpoint received.
     *
     * @param service     the signing name in the credential scope ({@code s3}, {@code execute-api})
     * @param region      the region in the credential scope
     * @param method      the HTTP method
     * @param path        the raw path
     * @param accessKeyId the access key id that signed
     * @param principal   whose key it is, or {@code null} for an unknown key
     * @param verdict     {@code OK}, or why the request was refused
     */
    public record Call(String service, String region, String method, String path, String accessKeyId, String principal,
            String verdict) {
    }

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "sigv4-endpoint");
        t.setDaemon(true);
        return t;
    });
    private final Function<String, Optional<Secret>> secrets;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private SigV4Endpoint(Function<String, Optional<Secret>> secrets) {
        this.secrets = secrets;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts an endpoint on a free port of 127.0.0.1 that looks secrets up by access key id. */
    public static SigV4Endpoint start(Function<String, Optional<Secret>> secrets) {
        return new SigV4Endpoint(secrets);
    }

    /** Returns {@code http://127.0.0.1:<port>}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Returns the calls received so far, oldest first. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Headers headers = exchange.getRequestHeaders();
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String authorization = headers.getFirst("Authorization");
            Matcher auth = authorization == null ? null : AUTHORIZATION.matcher(authorization);
            if (auth == null || !auth.matches()) {
                calls.add(new Call(null, null, method, uri.getRawPath(), null, null, "MissingAuthenticationToken"));
                answer(exchange, 403, "text/plain", "MissingAuthenticationToken: no SigV4 Authorization header");
                return;
            }
            String accessKeyId = auth.group(1);
            String region = auth.group(3);
            String service = auth.group(4);
            Optional<Secret> secret = secrets.apply(accessKeyId);
            String verdict = secret.isEmpty() ? "InvalidAccessKeyId"
                    : !secret.get().sessionToken().equals(headers.getFirst("X-Amz-Security-Token")) ? "InvalidToken"
                    : !authorization.equals(resign(exchange, body, secret.get(), region, service, auth.group(5)))
                            ? "SignatureDoesNotMatch" : "OK";
            String principal = secret.map(Secret::principal).orElse(null);
            calls.add(new Call(service, region, method, uri.getRawPath(), accessKeyId, principal, verdict));
            if (!verdict.equals("OK")) {
                answer(exchange, 403, "text/plain", verdict);
            } else if (service.equals("s3")) {
                s3(exchange, uri, principal);
            } else {
                answer(exchange, 200, "application/json", "{\"caller\":\"" + principal + "\",\"method\":\"" + method
                        + "\",\"path\":\"" + uri.getRawPath() + "\",\"body\":\"" + new String(body, StandardCharsets.UTF_8)
                        .replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
            }
        }
    }

    // The request as received, signed again by the SDK with the secret: the same bytes give the same header.
    private static String resign(HttpExchange exchange, byte[] body, Secret secret, String region, String service,
            String signedHeaders) {
        Headers headers = exchange.getRequestHeaders();
        URI uri = exchange.getRequestURI();
        String host = headers.getFirst("Host");
        int colon = host.lastIndexOf(':');
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(exchange.getRequestMethod()))
                .protocol("http")
                .host(colon < 0 ? host : host.substring(0, colon))
                .port(colon < 0 ? 80 : Integer.parseInt(host.substring(colon + 1)))
                .encodedPath(uri.getRawPath())
                .rawQueryParameters(queryParameters(uri.getRawQuery()));
        for (String name : signedHeaders.split(";")) {
            if (!name.equals("host")) {
                request.putHeader(name, headers.get(name));
            }
        }
        Instant signedAt = LocalDateTime.parse(headers.getFirst("X-Amz-Date"), AMZ_DATE).toInstant(ZoneOffset.UTC);
        boolean unsignedPayload = "UNSIGNED-PAYLOAD".equals(headers.getFirst("X-Amz-Content-Sha256"));
        AwsSessionCredentials credentials = AwsSessionCredentials.create(auth(headers), secret.secretAccessKey(),
                secret.sessionToken());
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials)
                .request(request.build())
                .payload(body.length == 0 ? null : ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC))
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !service.equals("s3"))
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !service.equals("s3"))
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, !unsignedPayload));
        return signed.request().firstMatchingHeader("Authorization").orElse("");
    }

    private static String auth(Headers headers) {
        Matcher m = AUTHORIZATION.matcher(headers.getFirst("Authorization"));
        if (!m.matches()) {
            throw new IllegalStateException("checked before");
        }
        return m.group(1);
    }

    private static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void s3(HttpExchange exchange, URI uri, String principal) throws IOException {
        String path = uri.getRawPath();
        String[] parts = path.substring(1).split("/", 2);
        String bucket = parts[0];
        if (parts.length == 2 && !parts[1].isEmpty() && exchange.getRequestMethod().equals("GET")) {
            answer(exchange, 200, "text/plain", "object " + decode(parts[1]) + " in " + bucket + " read by " + principal);
            return;
        }
        Map<String, List<String>> query = queryParameters(uri.getRawQuery());
        if (parts.length == 1 && "2".equals(first(query, "list-type"))) {
            String prefix = Optional.ofNullable(first(query, "prefix")).orElse("");
            String key = prefix + "hello.txt";
            answer(exchange, 200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                    + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + bucket + "</Name>"
                    + "<Prefix>" + xml(prefix) + "</Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys>"
                    + "<IsTruncated>false</IsTruncated><Contents><Key>" + xml(key) + "</Key>"
                    + "<LastModified>2026-11-22T10:00:00.000Z</LastModified><ETag>\"0\"</ETag><Size>5</Size>"
                    + "<StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>");
            return;
        }
        answer(exchange, 501, "text/plain", "not emulated: " + exchange.getRequestMethod() + " " + path);
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType + (contentType.startsWith("text") ? ";charset=UTF-8" : ""));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public String toString() {
        return "SigV4Endpoint[" + uri() + ", " + calls.size() + " calls]";
    }
}

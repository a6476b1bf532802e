package io.github.awsdelegation.cdi.internal;

import io.github.awsdelegation.cdi.ExecuteApiClient;
import io.github.awsdelegation.cdi.ExecuteApiRequest;
import io.github.awsdelegation.cdi.ExecuteApiResponse;
import io.github.awsdelegation.cdi.ExecuteApiResponseTooLargeException;
import io.github.awsdelegation.config.DelegationConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;

/**
 * The {@link ExecuteApiClient}: builds the HTTP request, has {@link AwsV4HttpSigner} sign it for
 * {@code execute-api} with the credentials of the moment, and sends it with the SDK's HTTP client.
 */
public final class DefaultExecuteApiClient implements ExecuteApiClient {

    // <api id>.execute-api.<region>.amazonaws.com, and the VPC endpoint form <api id>-<vpce id>.execute-api.<region>.vpce.amazonaws.com
    private static final Pattern REGION_IN_HOST =
            Pattern.compile("[^.]+\\.execute-api\\.([a-z0-9-]+)\\.(?:vpce\\.)?amazonaws\\.com(?:\\.cn)?\\.?");

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsProvider credentialsProvider;
    private final AwsRegionProvider regionProvider;
    private final SdkHttpClient httpClient;
    private final boolean ownsHttpClient;
    private final int maxResponseBytes;

    /** By default, response bodies of at most 10 MiB are read (API Gateway's payload limit). */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = io.github.awsdelegation.config.ClientSettings.DEFAULT_EXECUTE_API_MAX_RESPONSE_BYTES;

    private DefaultExecuteApiClient(BuilderImpl b) {
        this.maxResponseBytes = b.maxResponseBytes;
        this.credentialsProvider = Objects.requireNonNull(b.credentialsProvider, "credentialsProvider");
        this.regionProvider = Objects.requireNonNull(b.regionProvider, "region: set the signing region for custom domain names");
        this.ownsHttpClient = b.httpClient == null;
        this.httpClient = ownsHttpClient ? UrlConnectionHttpClient.create() : b.httpClient;
    }

    /** Returns a builder. */
    public static ExecuteApiClient.Builder builder() {
        return new BuilderImpl();
    }

    /** Returns the signing region of a URL: the one its host name names, else the client's. */
    Region signingRegion(URI uri) {
        Matcher m = REGION_IN_HOST.matcher(uri.getHost().toLowerCase(Locale.ROOT));
        return m.matches() ? Region.of(m.group(1)) : regionProvider.getRegion();
    }

    @Override
    public ExecuteApiResponse send(ExecuteApiRequest request) {
        Objects.requireNonNull(request, "request");
        URI uri = request.uri();
        byte[] body = request.body();
        SdkHttpFullRequest.Builder http = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                .uri(uri);
        request.headers().forEach((name, values) -> values.forEach(value -> http.appendHeader(name, value)));
        boolean hasBody = body.length > 0 || !"GET".equals(request.method()) && !"HEAD".equals(request.method())
                && !"DELETE".equals(request.method()) && !"OPTIONS".equals(request.method());
        if (hasBody) {
            http.putHeader("Content-Length", Integer.toString(body.length));
        }
        ContentStreamProvider payload = body.length == 0 ? null : ContentStreamProvider.fromByteArrayUnsafe(body);
        AwsCredentialsIdentity identity = credentialsProvider.resolveCredentials();
        String region = signingRegion(uri).id();
        SignedRequest signed = signer.sign(r -> r.identity(identity)
                .request(http.build())
                .payload(payload)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpExecuteRequest call = HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(signed.payload().orElse(null))
                .build();
        try {
            HttpExecuteResponse response = httpClient.prepareRequest(call).call();
            int status = response.httpResponse().statusCode();
            byte[] responseBody;
            Optional<? extends InputStream> stream = response.responseBody();
            if (stream.isPresent()) {
                try (InputStream in = stream.get()) {
                    // One byte over the limit tells a body of exactly the limit from a longer one; the rest is never read.
                    responseBody = in.readNBytes(maxResponseBytes + 1);
                }
                if (responseBody.length > maxResponseBytes) {
                    throw new ExecuteApiResponseTooLargeException(request.method() + " " + uri.getScheme() + "://"
                            + uri.getRawAuthority() + uri.getRawPath(), status, maxResponseBytes);
                }
            } else {
                responseBody = new byte[0];
            }
            return new ExecuteApiResponse(status, response.httpResponse().headers(), responseBody);
        } catch (IOException e) {
            throw new UncheckedIOException("execute-api call " + request.method() + " " + uri.getScheme() + "://"
                    + uri.getRawAuthority() + uri.getRawPath() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (ownsHttpClient) {
            httpClient.close();
        }
    }

    @Override
    public String toString() {
        return "ExecuteApiClient[credentials=" + credentialsProvider + "]";
    }

    private static final class BuilderImpl implements ExecuteApiClient.Builder {

        private AwsCredentialsProvider credentialsProvider;
        private AwsRegionProvider regionProvider;
        private SdkHttpClient httpClient;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

        @Override
        public ExecuteApiClient.Builder maxResponseBytes(int maxResponseBytes) {
            if (maxResponseBytes < 1 || maxResponseBytes == Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxResponseBytes must be between 1 and " + (Integer.MAX_VALUE - 1)
                        + ", was " + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        @Override
        public ExecuteApiClient.Builder credentialsProvider(AwsCredentialsProvider provider) {
            this.credentialsProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        @Override
        public ExecuteApiClient.Builder region(Region region) {
            Objects.requireNonNull(region, "region");
            this.regionProvider = () -> region;
            return this;
        }

        @Override
        public ExecuteApiClient.Builder regionProvider(AwsRegionProvider provider) {
            this.regionProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        @Override
        public ExecuteApiClient.Builder httpClient(SdkHttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        @Override
        public ExecuteApiClient build() {
            return new DefaultExecuteApiClient(this);
        }
    }
}

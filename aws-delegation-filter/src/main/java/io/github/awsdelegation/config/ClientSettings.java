package io.github.awsdelegation.config;

import java.net.URI;

/**
 * The {@code clients} section: how the AWS clients built for the app's users reach AWS; the CDI module's
 * {@code S3Client} and {@code ExecuteApiClient} use them.
 *
 * @param s3         the S3 client's settings ({@code clients.s3}); by default, AWS's endpoints, virtual-host-style
 * @param executeApi the execute-api client's settings ({@code clients.executeApi}); by default, 10 MiB responses
 */
public record ClientSettings(S3 s3, ExecuteApi executeApi) {

    /** By default, the {@code ExecuteApiClient} reads response bodies of at most 10 MiB (API Gateway's payload limit). */
    public static final int DEFAULT_EXECUTE_API_MAX_RESPONSE_BYTES = ExecuteApi.DEFAULT_MAX_RESPONSE_BYTES;

    /** By default, S3 is reached at AWS's endpoints with virtual-host-style requests. */
    public static final S3 DEFAULT_S3 = new S3(null, false);

    /** By default, the execute-api client reads at most 10 MiB. */
    public static final ExecuteApi DEFAULT_EXECUTE_API = new ExecuteApi(ExecuteApi.DEFAULT_MAX_RESPONSE_BYTES);

    public ClientSettings {
        s3 = s3 == null ? DEFAULT_S3 : s3;
        executeApi = executeApi == null ? DEFAULT_EXECUTE_API : executeApi;
    }

    /** Returns the defaults: AWS's own endpoints, virtual-host-style S3 requests, 10 MiB execute-api responses. */
    public static ClientSettings defaults() {
        return new ClientSettings(DEFAULT_S3, DEFAULT_EXECUTE_API);
    }

    /** Returns the endpoint that replaces S3's for every region, or {@code null} for AWS's. */
    public URI s3Endpoint() {
        return s3.endpoint();
    }

    /** Tells whether S3 requests name the bucket in the path. */
    public boolean s3PathStyle() {
        return s3.pathStyle();
    }

    /** Returns the largest response body the {@code ExecuteApiClient} reads. */
    public int executeApiMaxResponseBytes() {
        return executeApi.maxResponseBytes();
    }

    /**
     * The S3 client ({@code clients.s3}).
     *
     * @param endpoint  the endpoint that replaces S3's for every region (a local S3 in tests), or {@code null} for AWS's
     * @param pathStyle whether requests name the bucket in the path ({@code http://host/bucket/key}) rather than the
     *                  host name, as local S3 endpoints usually need; by default, {@code false}
     */
    public record S3(URI endpoint, boolean pathStyle) {
    }

    /**
     * The execute-api client ({@code clients.executeApi}).
     *
     * @param maxResponseBytes the largest response body read, at least 1; by default, 10 MiB
     */
    public record ExecuteApi(int maxResponseBytes) {

        /** By default, response bodies of at most 10 MiB (API Gateway's payload limit) are read. */
        public static final int DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

        public ExecuteApi {
            if (maxResponseBytes < 1) {
                throw new ConfigurationException("clients.executeApi.maxResponseBytes", "must be at least 1 (bytes)");
            }
        }
    }
}

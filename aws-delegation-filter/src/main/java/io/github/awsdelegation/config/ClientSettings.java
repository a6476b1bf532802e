package io.github.awsdelegation.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the AWS clients built for the app's users reach AWS; the CDI module's {@code S3Client} uses them.
 *
 * @param s3Endpoint  the endpoint that replaces S3's for every region (a local S3 in tests), or
 *                    {@code null} for AWS's
 * @param s3PathStyle whether S3 requests name the bucket in the path ({@code http://host/bucket/key})
 *                    rather than the host name, as local S3 endpoints usually need
 * @param executeApiMaxResponseBytes the largest response body the {@code ExecuteApiClient} reads
 */
public record ClientSettings(URI s3Endpoint, boolean s3PathStyle, int executeApiMaxResponseBytes) {

    /** By default, the {@code ExecuteApiClient} reads response bodies of at most 10 MiB (API Gateway's payload limit). */
    public static final int DEFAULT_EXECUTE_API_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

    public ClientSettings {
        if (executeApiMaxResponseBytes < 1) {
            throw new ConfigurationException("clients.executeApi.maxResponseBytes", "must be at least 1 (bytes)");
        }
    }

    /** Creates settings with the default limit on execute-api responses. */
    public ClientSettings(URI s3Endpoint, boolean s3PathStyle) {
        this(s3Endpoint, s3PathStyle, DEFAULT_EXECUTE_API_MAX_RESPONSE_BYTES);
    }

    /** Returns the defaults: AWS's own endpoints, virtual-host-style S3 requests, 10 MiB execute-api responses. */
    public static ClientSettings defaults() {
        return new ClientSettings(null, false);
    }
}

package io.github.awsdelegation.cdi;

import io.github.awsdelegation.cdi.internal.DefaultExecuteApiClient;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;

/**
 * Calls API Gateway endpoints whose methods use {@code AWS_IAM} authorization: every request is signed with
 * Signature Version 4 for the {@code execute-api} service, by the AWS SDK's own {@code AwsV4HttpSigner},
 * with the credentials its provider resolves at the time of the call.
 *
 * <p>Injected, it signs with the current user's credentials (it is built on
 * {@link CurrentUserCredentialsProvider}), so one instance serves all users:
 * <pre>{@code
 * @Inject ExecuteApiClient api;
 *
 * ExecuteApiResponse pets = api.get(URI.create("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/pets"));
 * }</pre>
 *
 * <p>The signing region is the one in the URL's host name ({@code <api>.execute-api.<region>.amazonaws.com},
 * VPC endpoint names too); for a custom domain name, it is the client's region (injected: the user's
 * role's region, else {@code sts.region}). Every status is returned as a response, errors included; a
 * request that cannot be sent at all throws {@link java.io.UncheckedIOException}.
 */
public interface ExecuteApiClient extends AutoCloseable {

    /** The signing name of API Gateway's invoke API: {@value}. */
    String SIGNING_NAME = "execute-api";

    /** Returns a builder, for code that builds its own client (outside CDI). */
    static Builder builder() {
        return DefaultExecuteApiClient.builder();
    }

    /**
     * Signs and sends a request.
     *
     * @throws java.io.UncheckedIOException when the request cannot be sent or the answer not read
     * @throws NoDelegationException from the injected client, outside a request the filter handled
     */
    ExecuteApiResponse send(ExecuteApiRequest request);

    /** Signs and sends {@code GET uri}. */
    default ExecuteApiResponse get(URI uri) {
        return send(ExecuteApiRequest.get(uri));
    }

    /** Signs and sends {@code POST uri} with a JSON body. */
    default ExecuteApiResponse postJson(URI uri, String json) {
        return send(ExecuteApiRequest.postJson(uri, json));
    }

    /** Releases the HTTP client, unless it was given to the builder (then its owner closes it). */
    @Override
    void close();

    /** Builds an {@link ExecuteApiClient}. */
    interface Builder {

        /** Sets where credentials come from, asked on every call. Required. */
        Builder credentialsProvider(AwsCredentialsProvider provider);

        /** Sets the signing region for URLs whose host names do not say it. Required, or a region provider. */
        Builder region(Region region);

        /** Sets where the signing region comes from, asked on every call whose URL does not say it. */
        Builder regionProvider(AwsRegionProvider provider);

        /**
         * Sets the HTTP client, which the built client then shares and does not close. By default, the
         * client creates a {@code UrlConnectionHttpClient} of its own and closes it.
         */
        Builder httpClient(SdkHttpClient httpClient);

        /**
         * Sets the largest response body the client reads; a larger one fails the call with
         * {@link ExecuteApiResponseTooLargeException} (and is not read further). By default, 10 MiB, API Gateway's
         * payload limit; the CDI client takes {@code clients.executeApi.maxResponseBytes}.
         */
        Builder maxResponseBytes(int maxResponseBytes);

        /** Builds the client. */
        ExecuteApiClient build();
    }
}

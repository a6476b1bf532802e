package io.github.awsdelegation.cdi.internal;

import io.github.awsdelegation.cdi.CurrentDelegation;
import io.github.awsdelegation.config.ClientSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Produces the current user's {@link S3Client}. The SDK's {@code s3} artifact is an optional dependency of the module
 * (docs/dependencies.md): this is the only class that refers to it, and the module's {@code beans.xml} leaves it out of
 * bean discovery when {@code S3Client} is not on the class path, so an app without S3 deploys (and cannot inject an
 * {@code S3Client}).
 */
@ApplicationScoped
public class S3ClientProducer {

    @Inject
    CurrentDelegation current;

    @Inject
    DelegationProducers producers;

    // Per request: the user's credentials and role region are fixed for the request, and the client (not
    // the shared HTTP client, which the SDK leaves alone when given one) is closed when the request ends.
    @Produces
    @RequestScoped
    @Typed(S3Client.class)
    S3Client s3() {
        ClientSettings settings = current.config().clients();
        S3ClientBuilder builder = S3Client.builder()
                .region(current.region())
                .credentialsProvider(StaticCredentialsProvider.create(current.credentials()))
                .httpClient(producers.sharedHttpClient())
                .forcePathStyle(settings.s3PathStyle());
        if (settings.s3Endpoint() != null) {
            builder.endpointOverride(settings.s3Endpoint());
        }
        return builder.build();
    }

    void closeS3(@Disposes S3Client s3) {
        s3.close();
    }
}

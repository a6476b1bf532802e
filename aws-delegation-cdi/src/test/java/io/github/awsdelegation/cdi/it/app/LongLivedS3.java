package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.cdi.CurrentDelegation;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 client the app builds once and shares between all users, on the injected current-user credentials
 * provider: each call is signed for the user whose request makes it.
 */
@ApplicationScoped
public class LongLivedS3 {

    @Inject
    AwsCredentialsProvider currentUser;

    @Inject
    CurrentDelegation current;

    private S3Client s3;

    public synchronized S3Client client() {
        if (s3 == null) {
            URI endpoint = current.config().clients().s3Endpoint();
            s3 = S3Client.builder()
                    .region(Region.EU_WEST_1)
                    .credentialsProvider(currentUser)
                    .endpointOverride(endpoint)
                    .forcePathStyle(true)
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
        return s3;
    }

    public String read(String key) {
        return client().getObjectAsBytes(b -> b.bucket("pet-shop").key(key)).asUtf8String();
    }

    @PreDestroy
    synchronized void close() {
        if (s3 != null) {
            s3.close();
        }
    }
}

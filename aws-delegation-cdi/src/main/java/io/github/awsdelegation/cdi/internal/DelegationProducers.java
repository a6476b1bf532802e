package io.github.awsdelegation.cdi.internal;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.cdi.CurrentDelegation;
import io.github.awsdelegation.cdi.CurrentUserCredentialsProvider;
import io.github.awsdelegation.cdi.ExecuteApiClient;
import io.github.awsdelegation.cdi.NoDelegationException;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Produces what the app injects: the current user's delegation and its parts ({@code @Dependent}: the
 * values are final classes and records, which CDI cannot proxy, taken from the request-scoped
 * {@link RequestDelegation}) and one {@link ExecuteApiClient}; {@link S3ClientProducer} the {@code S3Client}. The
 * clients share one HTTP client, created with the application and closed with it. Nothing here refers to the SDK's
 * S3 client, which is an optional dependency of this module.
 */
@ApplicationScoped
public class DelegationProducers {

    private static final Logger LOG = LoggerFactory.getLogger(DelegationProducers.class);

    @Inject
    CurrentDelegation current;

    @Inject
    CurrentUserCredentialsProvider currentUser;

    private SdkHttpClient httpClient;

    @PostConstruct
    void createHttpClient() {
        httpClient = UrlConnectionHttpClient.create();
    }

    @PreDestroy
    void closeHttpClient() {
        httpClient.close();
    }

    /** Returns the HTTP client the module's AWS clients share. */
    public SdkHttpClient sharedHttpClient() {
        return httpClient;
    }

    @Produces
    @Dependent
    @Typed(Delegation.class)
    Delegation delegation() {
        return current.get();
    }

    @Produces
    @Dependent
    @Typed(VerifiedIdentity.class)
    VerifiedIdentity identity() {
        return current.identity();
    }

    @Produces
    @Dependent
    @Typed(RoleDecision.class)
    RoleDecision decision() {
        return current.decision();
    }

    @Produces
    @Dependent
    @Typed(IssuedCredentials.class)
    IssuedCredentials issuedCredentials() {
        return current.issuedCredentials();
    }

    @Produces
    @Dependent
    @Typed(AwsSessionCredentials.class)
    AwsSessionCredentials credentials() {
        return current.credentials();
    }

    // One for the application: it resolves the current user's credentials and region on every call.
    @Produces
    @ApplicationScoped
    @Typed(ExecuteApiClient.class)
    ExecuteApiClient executeApi() {
        return ExecuteApiClient.builder()
                .credentialsProvider(currentUser)
                .regionProvider(current::region)
                .httpClient(httpClient)
                .maxResponseBytes(executeApiMaxResponseBytes())
                .build();
    }

    // The client is made at its first use, in a request (it signs for the request's user): the configuration is there.
    private int executeApiMaxResponseBytes() {
        try {
            return current.config().clients().executeApiMaxResponseBytes();
        } catch (NoDelegationException e) {
            // The client lives as long as the app: made outside a request, it keeps the default for good. Say so.
            LOG.warn("ExecuteApiClient made outside a request: clients.executeApi.maxResponseBytes is not read, the default "
                    + "{} bytes applies", io.github.awsdelegation.config.ClientSettings.DEFAULT_EXECUTE_API_MAX_RESPONSE_BYTES);
            return io.github.awsdelegation.config.ClientSettings.DEFAULT_EXECUTE_API_MAX_RESPONSE_BYTES;
        }
    }

    void closeExecuteApi(@Disposes ExecuteApiClient client) {
        client.close();
    }
}

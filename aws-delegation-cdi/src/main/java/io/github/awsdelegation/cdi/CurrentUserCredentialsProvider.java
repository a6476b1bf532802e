package io.github.awsdelegation.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * An {@link AwsCredentialsProvider} that resolves, on every call, the credentials of the user whose HTTP
 * request is being handled on the calling thread. Inject it as {@code AwsCredentialsProvider}.
 *
 * <p>It is safe to give to a long-lived SDK client that many users share: the client signs each call with
 * the credentials of the user it is made for, and picks up refreshed credentials with the next request.
 * Used outside such a request (a background thread, a timer) it throws {@link NoDelegationException}
 * rather than fall back to anybody's credentials.
 *
 * <pre>{@code
 * @Inject AwsCredentialsProvider currentUser;
 *
 * DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.EU_WEST_1)
 *         .credentialsProvider(currentUser).build();   // once, for the application
 * }</pre>
 */
@ApplicationScoped
@Typed({AwsCredentialsProvider.class, CurrentUserCredentialsProvider.class})
public class CurrentUserCredentialsProvider implements AwsCredentialsProvider {

    @Inject
    CurrentDelegation current;

    /**
     * Returns the current user's session credentials.
     *
     * @throws NoDelegationException outside an HTTP request, or for a request the filter did not handle
     */
    @Override
    public AwsCredentials resolveCredentials() {
        return current.credentials();
    }

    @Override
    public String toString() {
        return "CurrentUserCredentialsProvider";
    }
}

package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.cdi.CurrentDelegation;
import io.github.awsdelegation.cdi.ExecuteApiClient;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.s3.S3Client;

/** Injection into a request-scoped CDI bean: every value directly, as a JAX-RS resource would have them. */
@RequestScoped
public class UserReport {

    @Inject
    AwsSessionCredentials credentials;

    @Inject
    VerifiedIdentity identity;

    @Inject
    RoleDecision decision;

    @Inject
    Delegation delegation;

    @Inject
    IssuedCredentials issued;

    @Inject
    AwsCredentialsProvider currentUser;

    @Inject
    CurrentDelegation current;

    @Inject
    S3Client s3;

    @Inject
    ExecuteApiClient api;

    public Lines describe(URI stage) {
        return new Lines()
                .put("subject", identity.subject())
                .put("role", decision.role().roleName())
                .put("rule", decision.ruleId())
                .put("reason", decision.reason())
                .put("accessKeyId", credentials.accessKeyId())
                .put("providerAccessKeyId", currentUser.resolveCredentials().accessKeyId())
                .put("currentAccessKeyId", current.credentials().accessKeyId())
                .put("delegationAccessKeyId", delegation.credentials().credentials().accessKeyId())
                .put("sameCredentialsObject", credentials == current.credentials()
                        && currentUser.resolveCredentials() == current.credentials())
                .put("assumedRoleArn", issued.assumedRoleArn())
                .put("region", current.region().id())
                .put("present", current.isPresent())
                .put("s3Region", s3.serviceClientConfiguration().region().id())
                .put("apiCaller", api.get(stage).bodyAsString());
    }

    public String accessKeyId() {
        return credentials.accessKeyId();
    }
}

package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.cdi.CurrentDelegation;
import io.github.awsdelegation.cdi.ExecuteApiClient;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.sts.IssuedCredentials;
import io.github.awsdelegation.token.VerifiedIdentity;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Injection into a servlet, which lives as long as the app: the application-scoped beans directly, the
 * per-request values through {@code Instance}, asked for on each request.
 */
@WebServlet({"/inject/servlet", "/public/inject/servlet"})
public class InjectionServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient CurrentDelegation current;

    @Inject
    transient AwsCredentialsProvider currentUser;

    @Inject
    transient Instance<AwsSessionCredentials> credentials;

    @Inject
    transient Instance<VerifiedIdentity> identity;

    @Inject
    transient Instance<RoleDecision> decision;

    @Inject
    transient Instance<Delegation> delegation;

    @Inject
    transient Instance<IssuedCredentials> issued;

    @Inject
    transient S3Client s3;

    @Inject
    transient ExecuteApiClient api;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        new Lines()
                .attempt("subject", () -> identity.get().subject())
                .attempt("role", () -> decision.get().role().roleName())
                .attempt("rule", () -> decision.get().ruleId())
                .attempt("reason", () -> decision.get().reason())
                .attempt("accessKeyId", () -> credentials.get().accessKeyId())
                .attempt("providerAccessKeyId", () -> currentUser.resolveCredentials().accessKeyId())
                .attempt("currentAccessKeyId", () -> current.credentials().accessKeyId())
                .attempt("delegationAccessKeyId", () -> delegation.get().credentials().credentials().accessKeyId())
                // Built from the cache's compact form on each IssuedCredentials.credentials() call; once per request here.
                .attempt("sameCredentialsObject", () -> credentials.get() == current.credentials()
                        && currentUser.resolveCredentials() == current.credentials())
                .attempt("assumedRoleArn", () -> issued.get().assumedRoleArn())
                .attempt("region", () -> current.region().id())
                .attempt("present", () -> current.isPresent())
                .attempt("s3Region", () -> s3.serviceClientConfiguration().region().id())
                .attempt("apiCaller", () -> api.get(URI.create(getServletContext().getInitParameter("it.api.url"))).bodyAsString())
                .write(response);
    }
}

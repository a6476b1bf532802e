package io.github.awsdelegation.cdi.internal;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.servlet.AwsDelegationFilter;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The current HTTP request's delegation, held for the request. The filter attaches it before the servlet
 * runs but after the request context starts, so it is read when first asked for, not when the request
 * begins; and it is only kept once found (a bean created by an earlier filter must not remember "none"). The SDK's
 * credentials object, which {@code IssuedCredentials.credentials()} builds on each call, is built once per request here.
 */
@RequestScoped
public class RequestDelegation {

    @Inject
    HttpServletRequest request;

    private Delegation delegation;
    private AwsSessionCredentials credentials;

    /** Returns the delegation the filter attached to the current request, if it did. */
    public Optional<Delegation> delegation() {
        if (delegation == null && request.getAttribute(Delegation.REQUEST_ATTRIBUTE) instanceof Delegation found) {
            delegation = found;
        }
        return Optional.ofNullable(delegation);
    }

    /** Returns the SDK credentials of the given delegation (the request's), built at the first call of the request. */
    public AwsSessionCredentials credentials(Delegation of) {
        if (credentials == null || of != delegation) {
            AwsSessionCredentials built = of.credentials().credentials();
            if (of != delegation) {
                return built;
            }
            credentials = built;
        }
        return credentials;
    }

    /** Returns the filter's service, if the filter is set up in this web app. */
    public Optional<DelegationService> service() {
        return request.getServletContext().getAttribute(AwsDelegationFilter.SERVICE_ATTRIBUTE) instanceof DelegationService s
                ? Optional.of(s) : Optional.empty();
    }

    /** Returns the request's path within the web app, for messages. */
    public String path() {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }
}

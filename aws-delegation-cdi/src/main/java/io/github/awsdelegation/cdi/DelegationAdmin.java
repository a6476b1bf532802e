package io.github.awsdelegation.cdi;

import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.cdi.internal.FilterService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Operations for administrators, as a CDI bean: inject it and call {@link #evictSubject} from the app's own,
 * protected admin code. It acts on the filter's {@link DelegationService} in this web app.
 */
@ApplicationScoped
public class DelegationAdmin {

    @Inject
    FilterService filter;

    /**
     * Cuts a user off now ({@link DelegationService#evictSubject}): the user's sign-in sessions end on their next
     * request, ID tokens issued until now are refused, and the user's cached credentials are dropped.
     *
     * @param subject the user's {@code sub} at the configured issuer
     * @throws IllegalStateException when the AWS delegation filter has not started in this web app
     */
    public void evictSubject(String subject) {
        filter.get().orElseThrow(() -> new IllegalStateException(
                "the AWS delegation filter has not started in this web app: nothing to evict from")).evictSubject(subject);
    }
}

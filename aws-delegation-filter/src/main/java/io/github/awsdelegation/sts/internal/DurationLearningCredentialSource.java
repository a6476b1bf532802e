package io.github.awsdelegation.sts.internal;

import io.github.awsdelegation.scope.internal.SessionDurations;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.CredentialSource;
import io.github.awsdelegation.sts.IssuedCredentials;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a source so that a duration over the role's maximum costs one retry, once per role: when STS answers that
 * the requested duration exceeds the role's {@code MaxSessionDuration}, it retries with 1 hour (the smallest maximum
 * a role can have) and {@link SessionDurations#learn remembers} that, so the pipeline asks for 1 hour from then on.
 */
public final class DurationLearningCredentialSource implements CredentialSource {

    private static final Logger LOG = LoggerFactory.getLogger(DurationLearningCredentialSource.class);

    private final CredentialSource delegate;
    private final SessionDurations durations;

    /** Wraps {@code delegate}, recording what it learns in {@code durations}. */
    public DurationLearningCredentialSource(CredentialSource delegate, SessionDurations durations) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.durations = Objects.requireNonNull(durations, "durations");
    }

    @Override
    public IssuedCredentials issue(CredentialRequest request) {
        try {
            return delegate.issue(request);
        } catch (SessionDurationExceededException e) {
            Duration fallback = SessionDurations.ONE_HOUR;
            if (request.duration().compareTo(fallback) <= 0) {
                throw e;
            }
            durations.learn(request.role().roleArn(), fallback);
            LOG.warn("Role {} does not allow {} sessions; using {} for it from now on (raise its MaxSessionDuration, or "
                    + "lower the rule's sessionDuration, to silence this)", request.role().roleArn(), request.duration(), fallback);
            return delegate.issue(request.withDuration(fallback));
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}

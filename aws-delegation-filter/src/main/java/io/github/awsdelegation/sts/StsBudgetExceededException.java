package io.github.awsdelegation.sts;

import io.github.awsdelegation.TemporarilyUnavailableException;
import java.time.Duration;

/**
 * Thrown instead of calling STS when the call would exceed the {@link StsBudget}: the user's own limit (the
 * servlet layer answers 429 {@code too_many_requests}) or the account and Region's (503
 * {@code temporarily_unavailable}), both with {@code Retry-After}. Only a request without cached credentials meets it.
 */
public class StsBudgetExceededException extends TemporarilyUnavailableException {

    private static final long serialVersionUID = 1L;

    /** Whose budget ran out. */
    public enum Budget {
        /** The user's calls per window ({@code sts.budget.perUser}). */
        USER,
        /** The account and Region's calls per second ({@code sts.budget.accountRate}). */
        ACCOUNT
    }

    private final Budget budget;

    public StsBudgetExceededException(Budget budget, String message, Duration retryAfter) {
        super(message, retryAfter, null);
        this.budget = budget;
    }

    /** Returns whose budget ran out. */
    public Budget budget() {
        return budget;
    }
}

package io.github.awsdelegation.budget.internal;

import io.github.awsdelegation.sts.StsBudget;
import io.github.awsdelegation.sts.StsBudgetExceededException;
import io.github.awsdelegation.sts.StsBudgetExceededException.Budget;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces an {@link StsBudget} before each STS call: the user's rolling window first (so that one user's loop
 * cannot drain the account's bucket), then the bucket of the role's account and Region. Thread-safe.
 */
public final class StsBudgets {

    private final StsBudget budget;
    private final Clock clock;
    private final RollingWindowLimiter perUser;
    // One bucket per account and Region: as many as the roles' accounts times the Regions, a handful.
    private final Map<String, TokenBucket> accounts = new ConcurrentHashMap<>();

    public StsBudgets(StsBudget budget, Clock clock) {
        this.budget = budget;
        this.clock = clock;
        this.perUser = new RollingWindowLimiter(budget.perUser(), budget.perUserWindow(), clock);
    }

    /**
     * Admits one STS call for a user without cached credentials.
     *
     * @param user    the user's key (issuer and subject)
     * @param account the role's account id
     * @param region  the STS Region
     * @throws StsBudgetExceededException when the user's or the account's budget is spent, with the wait
     */
    public void admitCold(String user, String account, String region) {
        Duration wait = perUser.acquire(user);
        if (!wait.isZero()) {
            throw new StsBudgetExceededException(Budget.USER, "too many new AWS sessions for this user (sts.budget.perUser: "
                    + budget.perUser() + " STS calls per " + budget.perUserWindow() + "); try again in " + seconds(wait) + " s",
                    wait);
        }
        TokenBucket bucket = bucket(account, region);
        if (bucket != null) {
            wait = bucket.tryAcquire();
            if (!wait.isZero()) {
                throw new StsBudgetExceededException(Budget.ACCOUNT, "the application's STS budget for account " + account
                        + " in " + region + " is spent (sts.budget.accountRate: " + budget.accountRate()
                        + " calls per second); try again in " + seconds(wait) + " s", wait);
            }
        }
    }

    /** Counts a refresh ahead of expiry against the account's bucket, never refusing it: its user is being served. */
    public void countRefresh(String account, String region) {
        TokenBucket bucket = bucket(account, region);
        if (bucket != null) {
            bucket.takeIfAvailable();
        }
    }

    private TokenBucket bucket(String account, String region) {
        if (budget.accountRate() <= 0) {
            return null;
        }
        return accounts.computeIfAbsent(account + ' ' + region,
                k -> new TokenBucket(budget.accountRate(), budget.accountBurst(), clock));
    }

    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    @Override
    public String toString() {
        return "StsBudgets[" + budget + "]";
    }
}

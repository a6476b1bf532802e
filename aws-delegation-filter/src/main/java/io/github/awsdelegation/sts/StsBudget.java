package io.github.awsdelegation.sts;

import io.github.awsdelegation.internal.InvalidSettingException;
import java.time.Duration;

/**
 * How many STS calls the module may make ({@code sts.budget}), so that one user cannot exhaust the account's STS
 * quota and the application stays under it: STS allows 600 requests per second per account and Region for
 * AssumeRole, AssumeRoleWithWebIdentity and AssumeRoleWithSAML together. Only calls for a user without cached
 * credentials (a cold request) are refused; users with cached credentials keep being served, and refreshes ahead of
 * expiry are never refused (they take from the account's bucket when it has tokens).
 *
 * @param perUser       STS calls allowed per user in any {@code perUserWindow} (a rolling window), {@code 0} for no
 *                      limit; over it, a cold request of that user is answered 429 with {@code Retry-After}; by
 *                      default, {@value #DEFAULT_PER_USER}
 * @param perUserWindow the rolling window of {@code perUser}; by default, 1 minute
 * @param accountRate   STS calls per second per account and Region (a token bucket refilled at this rate),
 *                      {@code 0} for no limit; over it, a cold request is answered 503 with {@code Retry-After}; by
 *                      default, {@value #DEFAULT_ACCOUNT_RATE}, a sixth of STS's quota
 * @param accountBurst  the bucket's size: calls allowed at once after a quiet period; by default, twice the rate
 */
public record StsBudget(int perUser, Duration perUserWindow, int accountRate, int accountBurst) {

    /** By default, a user may cause {@value} STS calls per minute. */
    public static final int DEFAULT_PER_USER = 60;
    /** By default, the per-user window is 1 minute. */
    public static final Duration DEFAULT_PER_USER_WINDOW = Duration.ofMinutes(1);
    /** By default, {@value} STS calls per second per account and Region. */
    public static final int DEFAULT_ACCOUNT_RATE = 100;
    /** STS's quota for AssumeRole* per account and Region: 600 requests per second. */
    public static final int STS_QUOTA = 600;

    /** The defaults: 60 calls a minute per user, 100 a second (burst 200) per account and Region. */
    public static final StsBudget DEFAULT = new StsBudget(DEFAULT_PER_USER, DEFAULT_PER_USER_WINDOW, DEFAULT_ACCOUNT_RATE,
            2 * DEFAULT_ACCOUNT_RATE);

    /** No limits at all. */
    public static final StsBudget UNLIMITED = new StsBudget(0, DEFAULT_PER_USER_WINDOW, 0, 0);

    public StsBudget {
        if (perUser < 0) {
            throw new InvalidSettingException("budget.perUser", "budget.perUser: " + perUser
                    + " is negative; write the STS calls a user may cause per window, or 0 for no limit");
        }
        if (perUserWindow == null || perUserWindow.isNegative() || perUserWindow.isZero()) {
            throw new InvalidSettingException("budget.perUserWindow", "budget.perUserWindow: must be positive, e.g. 1m");
        }
        if (accountRate < 0 || accountRate > STS_QUOTA) {
            throw new InvalidSettingException("budget.accountRate", "budget.accountRate: " + accountRate
                    + " is outside 0 (no limit) to " + STS_QUOTA + " (STS's quota per account and Region)");
        }
        if (accountRate > 0 && accountBurst < 1) {
            throw new InvalidSettingException("budget.accountBurst", "budget.accountBurst: must be at least 1, e.g. "
                    + 2 * accountRate);
        }
    }
}

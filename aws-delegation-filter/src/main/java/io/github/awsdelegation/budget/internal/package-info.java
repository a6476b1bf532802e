/**
 * Rate limits shared by the STS budgets ({@link io.github.awsdelegation.sts.StsBudget}) and the servlet layer's
 * request limits: a rolling window per key, and a token bucket. Not API.
 */
package io.github.awsdelegation.budget.internal;

/**
 * The planning stage: a role decision for a verified user becomes one immutable
 * {@link io.github.awsdelegation.plan.SessionPlan} (scope, duration, role session name, region, the user's values STS
 * takes into the session) whose {@link io.github.awsdelegation.plan.SessionKey} is built from its own fields. After
 * {@code sts} (it works out the STS region and the SAML attribute values), before {@code cache} (which keys by it).
 */
package io.github.awsdelegation.plan;

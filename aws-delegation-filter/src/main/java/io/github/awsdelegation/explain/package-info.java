/**
 * "Why does user X get role Y?": a dry run of the role decider and the session planner for given claims (or a
 * validated ID token) that calls nothing outside. {@link io.github.awsdelegation.explain.Explainer} runs it;
 * {@link io.github.awsdelegation.explain.Explanation} is the answer, as JSON or text.
 */
package io.github.awsdelegation.explain;

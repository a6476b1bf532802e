/**
 * How a role's configured scope becomes one user's {@link io.github.awsdelegation.scope.SessionScope}: the session
 * policy and scope templates with their per-user variables, the check that grants hold no user data, role session
 * names, and the session durations learned per role. Not part of the module's API; it may change without notice.
 */
package io.github.awsdelegation.scope.internal;

/**
 * The rule order's placeholders for rules contributed at run time (CDI rule beans). Not part of the module's API; it
 * may change without notice.
 */
package io.github.awsdelegation.role.internal;

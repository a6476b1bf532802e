/**
 * Helpers shared by the module's packages; not API, may change without notice.
 */
package io.github.awsdelegation.internal;

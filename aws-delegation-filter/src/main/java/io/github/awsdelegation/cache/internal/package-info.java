/**
 * The credential store kept in this JVM; not API, may change without notice.
 */
package io.github.awsdelegation.cache.internal;

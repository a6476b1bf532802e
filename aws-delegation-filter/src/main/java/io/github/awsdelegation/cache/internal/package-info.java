/**
 * The credential store kept in this JVM and the canonical encoding of cache keys; not API, may change without notice.
 */
package io.github.awsdelegation.cache.internal;

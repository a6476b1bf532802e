/**
 * Implementation of the CDI module: the request-scoped holder, the producers, the interceptor, the filter
 * customizer that adds rule beans and CDI events. Not an API: it changes without notice.
 */
package io.github.awsdelegation.cdi.internal;

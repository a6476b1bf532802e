/**
 * Plumbing shared by the local identity provider and the local STS: the loopback HTTP server, form and
 * HTML helpers, self-signed certificates, AWS Signature Version 4 verification, session policy checks
 * and the trust policy subset. Not part of the testkit's API; it may change without notice.
 */
package io.github.awsdelegation.testkit.internal;

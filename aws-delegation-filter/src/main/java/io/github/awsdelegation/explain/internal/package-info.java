/** The explanation's JSON and text renderings. Not an API. */
package io.github.awsdelegation.explain.internal;

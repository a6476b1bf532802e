/**
 * The test WAR's application: servlets and CDI beans that use the CDI module as an app would, and answer with
 * what they got, one {@code name=value} per line. Packaged into the WAR by name, never loaded in the test JVM.
 */
package io.github.awsdelegation.cdi.it.app;

package io.github.awsdelegation.config.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lets a map also be written as one string {@code name=value, name=value}, so that a single variable can carry it
 * ({@code types: ${CONNECTION_TYPES:-}}); an empty string is an empty map.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface CompactMap {

    /** Returns what a value is called in messages, e.g. {@code type}. */
    String valueName();

    /** Returns an example of the one-string form, e.g. {@code google=social, github=social}. */
    String example();
}

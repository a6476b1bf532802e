package io.github.awsdelegation.config.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a component whose key must be present; the binder reports it as {@code missing}, with a hint when a key differing only in case was found, and uses it to pick among sealed alternatives. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Required {

}

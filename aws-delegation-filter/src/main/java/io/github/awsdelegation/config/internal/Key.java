package io.github.awsdelegation.config.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Names the key of a record component in the document when it differs from the component's name (e.g. {@code class}, a Java keyword). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Key {

    /** Returns the value. */
    String value();
}

package io.github.awsdelegation.config.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Binds a component from a record of the document that supplies its value: the component's type is what the application uses ({@code ConnectionResolver}), the record is the document's shape. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface BindAs {

    /** Returns the value. */
    Class<? extends java.util.function.Supplier<?>> value();
}

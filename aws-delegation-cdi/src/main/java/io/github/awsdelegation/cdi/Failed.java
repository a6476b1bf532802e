package io.github.awsdelegation.cdi;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Qualifies the {@link io.github.awsdelegation.DelegationEvent} fired when STS could not issue credentials,
 * for a request or a background refresh ({@link io.github.awsdelegation.DelegationEvent.Type#FAILED}).
 *
 * <pre>{@code
 * void audit(@Observes @Failed DelegationEvent event) { ... }
 * }</pre>
 *
 * An observer of {@code DelegationEvent} without a qualifier receives the events of every kind.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({PARAMETER, FIELD, METHOD, TYPE})
public @interface Failed {

    /** The annotation as a value, to fire or select events with it. */
    final class Literal extends AnnotationLiteral<Failed> implements Failed {

        /** The only instance. */
        public static final Literal INSTANCE = new Literal();

        private static final long serialVersionUID = 1L;

        private Literal() {
        }
    }
}

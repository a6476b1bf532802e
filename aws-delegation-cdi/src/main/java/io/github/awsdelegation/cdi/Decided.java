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
 * Qualifies the {@link io.github.awsdelegation.DelegationEvent} fired when the rules granted a role to a request
 * (every request that passes the role stage, cached or not) ({@link
 * io.github.awsdelegation.DelegationEvent.Type#DECIDED}).
 *
 * <pre>{@code
 * void audit(@Observes @Decided DelegationEvent event) { ... }
 * }</pre>
 *
 * An observer of {@code DelegationEvent} without a qualifier receives the events of every kind.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({PARAMETER, FIELD, METHOD, TYPE})
public @interface Decided {

    /** The annotation as a value, to fire or select events with it. */
    final class Literal extends AnnotationLiteral<Decided> implements Decided {

        /** The only instance. */
        public static final Literal INSTANCE = new Literal();

        private static final long serialVersionUID = 1L;

        private Literal() {
        }
    }
}

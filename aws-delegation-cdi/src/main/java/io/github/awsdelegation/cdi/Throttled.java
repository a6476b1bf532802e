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
 * Qualifies the {@link io.github.awsdelegation.DelegationEvent} fired when a request was refused because a budget
 * of STS calls is spent (429 or 503 with {@code Retry-After}) ({@link
 * io.github.awsdelegation.DelegationEvent.Type#THROTTLED}).
 *
 * <pre>{@code
 * void audit(@Observes @Throttled DelegationEvent event) { ... }
 * }</pre>
 *
 * An observer of {@code DelegationEvent} without a qualifier receives the events of every kind.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({PARAMETER, FIELD, METHOD, TYPE})
public @interface Throttled {

    /** The annotation as a value, to fire or select events with it. */
    final class Literal extends AnnotationLiteral<Throttled> implements Throttled {

        /** The only instance. */
        public static final Literal INSTANCE = new Literal();

        private static final long serialVersionUID = 1L;

        private Literal() {
        }
    }
}

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
 * Qualifies the {@link io.github.awsdelegation.DelegationEvent} fired when STS issued replacement
 * credentials in the background, ahead of the cached ones' expiry ({@link io.github.awsdelegation.DelegationEvent.Type#REFRESHED}).
 * Observers run on the refresh thread, where no request context is active.
 *
 * <pre>{@code
 * void audit(@Observes @Refreshed DelegationEvent event) { ... }
 * }</pre>
 *
 * An observer of {@code DelegationEvent} without a qualifier receives the events of every kind.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({PARAMETER, FIELD, METHOD, TYPE})
public @interface Refreshed {

    /** The annotation as a value, to fire or select events with it. */
    final class Literal extends AnnotationLiteral<Refreshed> implements Refreshed {

        /** The only instance. */
        public static final Literal INSTANCE = new Literal();

        private static final long serialVersionUID = 1L;

        private Literal() {
        }
    }
}

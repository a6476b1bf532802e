package io.github.awsdelegation.config.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a component whose text is a per-user template: its per-user variables ({@code ${sub}}, {@code ${email}}, {@code ${claim.NAME}}, ...) are left for each user's rendering, while {@code ${VARIABLE}} from the environment is still replaced. Anywhere else a per-user variable is refused, naming the key. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface PerUserTemplate {

}

package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import java.util.function.Supplier;

/** Helpers for the documents' conversions: naming the key of a step that fails. */
final class YamlBinderSupport {

    private YamlBinderSupport() {
    }

    /** Runs a step that sets one setting; an {@link IllegalArgumentException} it throws is named by the key. */
    static void setting(String key, Runnable step) {
        try {
            step.run();
        } catch (ConfigurationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, e.getMessage(), e);
        }
    }

    /** Returns the value of a step whose complaints are keyed relative to {@code path}, naming them from here. */
    static <T> T within(String path, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            throw YamlBinder.keyed(e, path);
        }
    }
}

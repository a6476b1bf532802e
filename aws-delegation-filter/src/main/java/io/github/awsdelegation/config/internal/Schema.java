package io.github.awsdelegation.config.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the binder and the interpolation pass read from the model's records: the key of each component, whether it
 * is required, its default, and which alternative of a sealed type a mapping is.
 *
 * <p>A component left out of the document takes the record's constant {@code DEFAULT_<NAME>} (for
 * {@code clockSkew}, {@code DEFAULT_CLOCK_SKEW}) when it has one, else an empty collection, {@code false}, 0 or
 * {@code null}: the defaults are declared once, beside the record, as the constants the Javadoc names.
 */
final class Schema {

    private Schema() {
    }

    static String key(RecordComponent component) {
        Key key = component.getAnnotation(Key.class);
        return key != null ? key.value() : component.getName();
    }

    static boolean required(RecordComponent component) {
        return component.isAnnotationPresent(Required.class);
    }

    static List<String> keys(Class<?> record) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            keys.add(key(c));
        }
        return keys;
    }

    static RecordComponent component(Class<?> record, String key) {
        for (RecordComponent c : record.getRecordComponents()) {
            if (key(c).equals(key)) {
                return c;
            }
        }
        return null;
    }

    /** Returns the type the document's value is bound to: the component's own, or its {@link BindAs} record's. */
    static Type boundType(RecordComponent component) {
        BindAs bindAs = component.getAnnotation(BindAs.class);
        return bindAs != null ? bindAs.value() : component.getGenericType();
    }

    /**
     * Returns the alternative of a sealed type that a mapping is: the first permitted record whose required keys are
     * all present, or the last one (whose missing key is then reported).
     */
    static Class<?> alternative(Class<?> sealed, Map<?, ?> map) {
        Class<?>[] permitted = sealed.getPermittedSubclasses();
        for (Class<?> candidate : permitted) {
            boolean fits = true;
            for (RecordComponent c : candidate.getRecordComponents()) {
                if (required(c) && !map.containsKey(key(c))) {
                    fits = false;
                }
            }
            if (fits) {
                return candidate;
            }
        }
        return permitted[permitted.length - 1];
    }

    static Object defaultValue(Class<?> record, RecordComponent component) {
        String name = "DEFAULT_" + component.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        try {
            Field field = record.getDeclaredField(name);
            if (Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                return field.get(null);
            }
        } catch (NoSuchFieldException e) {
            // no default declared: the type's empty value below
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        Class<?> type = component.getType();
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == List.class) {
            return List.of();
        }
        if (type == Set.class) {
            return Set.of();
        }
        if (type == Map.class) {
            return Map.of();
        }
        return null;
    }

    static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    static Type argument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }

    static boolean isModel(Class<?> type) {
        return type.isRecord() || type.isSealed();
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}

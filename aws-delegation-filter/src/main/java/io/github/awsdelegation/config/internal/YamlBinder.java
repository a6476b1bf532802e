package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.internal.InvalidSettingException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Binds a YAML tree (maps, lists and scalars, as SnakeYAML Engine loads them, after {@link Interpolation}) onto
 * records: a mapping's keys are the record's component names (or {@link Key}), values are converted to the
 * component's type, and the canonical constructor checks the result. Every mistake is a
 * {@link ConfigurationException} naming the full key, e.g. {@code rules[0].roles[1].arn}.
 *
 * <p>Types: the scalars of {@link Scalars},  {@code List}, {@code Set},
 * {@code Map<String, V>}, nested records, sealed interfaces of records ({@link Schema#alternative}), and
 * {@link BindAs} suppliers. An unknown key is refused with the closest known key; a key that differs from a known
 * one only in case says that keys are case-sensitive. An empty value is no value.
 */
public final class YamlBinder {

    private YamlBinder() {
    }

    /**
     * Binds a mapping onto a record.
     *
     * @param tree the document (or a part of it) after interpolation
     * @param type the record (or sealed interface) to bind
     * @param path the key of the tree in the document, {@code ""} for the document itself
     * @throws ConfigurationException naming the key at fault
     */
    public static <T> T bind(Object tree, Class<T> type, String path) {
        return type.cast(value(tree, type, null, path));
    }

    private static Object value(Object node, Type type, RecordComponent component, String path) {
        Class<?> raw = Schema.raw(type);
        if (Schema.isModel(raw)) {
            Map<?, ?> map = map(node, path);
            Object bound = record(map, raw.isSealed() ? Schema.alternative(raw, map) : raw, path);
            return bound instanceof Supplier<?> supplier && component != null && component.isAnnotationPresent(BindAs.class)
                    ? supply(supplier, path) : bound;
        }
        if (raw == List.class || raw == Set.class || raw == Collection.class) {
            return collection(node, type, path, raw == Set.class);
        }
        if (raw == Map.class) {
            return map(node, type, component, path);
        }
        return Scalars.scalar(node, raw, path);
    }

    private static Object record(Map<?, ?> map, Class<?> type, String path) {
        List<String> keys = Schema.keys(type);
        for (Object k : map.keySet()) {
            String key = String.valueOf(k);
            if (!keys.contains(key)) {
                throw unknown(type, map, keys, key, path);
            }
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String key = Schema.key(c);
            Object node = present(map.get(key));
            if (node instanceof Map<?, ?> section && c.isAnnotationPresent(Switchable.class) && section.containsKey("enabled")) {
                // enabled: false turns the section off without reading its other keys, as a commented-out section would
                if (!(Boolean) Scalars.scalar(section.get("enabled"), boolean.class, Schema.join(path, key) + ".enabled")) {
                    args[i] = null;
                    continue;
                }
                Map<Object, Object> rest = new LinkedHashMap<>(section);
                rest.remove("enabled");
                node = rest;
            }
            if (node == null) {
                if (Schema.required(c)) {
                    throw new ConfigurationException(Schema.join(path, key), "missing");
                }
                args[i] = Schema.defaultValue(type, c);
            } else {
                args[i] = value(node, Schema.boundType(c), c, Schema.join(path, key));
            }
        }
        return construct(type, components, args, path);
    }

    private static ConfigurationException unknown(Class<?> type, Map<?, ?> map, List<String> keys, String key, String path) {
        for (String known : keys) {
            if (known.equalsIgnoreCase(key) && !map.containsKey(known)) {
                RecordComponent c = Schema.component(type, known);
                return Schema.required(c)
                        ? new ConfigurationException(Schema.join(path, known), "missing (found '" + key
                                + "': keys are case-sensitive)")
                        : new ConfigurationException(Schema.join(path, key), "unknown key (did you mean '" + known
                                + "'? keys are case-sensitive)");
            }
        }
        String closest = closest(key, keys);
        return new ConfigurationException(Schema.join(path, key), "unknown key; " + (closest == null ? ""
                : "did you mean '" + closest + "'? ") + "see docs/configuration.md for the keys of "
                + (path.isEmpty() ? "the document" : path));
    }

    // The known key within two edits (or a third of the key's length, for long keys), if any.
    private static String closest(String key, List<String> keys) {
        String best = null;
        int bestDistance = Math.max(2, key.length() / 3) + 1;
        for (String known : keys) {
            int d = distance(key.toLowerCase(Locale.ROOT), known.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Object construct(Class<?> type, RecordComponent[] components, Object[] args, String path) {
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw keyed(e.getCause(), path);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot bind " + type.getName(), e);
        }
    }

    private static Object supply(Supplier<?> supplier, String path) {
        try {
            return supplier.get();
        } catch (RuntimeException e) {
            throw keyed(e, path);
        }
    }

    /**
     * Names the full key of a record's complaint: a {@link ConfigurationException} keyed relative to the record
     * ({@code arn}) gets the record's path in front, one already keyed from the document's root keeps its key; an
     * {@link InvalidSettingException} is keyed by its setting.
     */
    static RuntimeException keyed(Throwable cause, String path) {
        if (cause instanceof ConfigurationException e) {
            String key = e.key();
            boolean absolute = path.isEmpty() || key.equals(path) || key.startsWith(path + ".") || key.startsWith(path + "[")
                    || key.startsWith(root(path) + ".") || key.equals(root(path));
            return absolute ? e : new ConfigurationException(Schema.join(path, key), e.reason(), e);
        }
        if (cause instanceof InvalidSettingException e) {
            return new ConfigurationException(Schema.join(path, e.setting()), e.detail(), e);
        }
        if (cause instanceof RuntimeException e) {
            return e;
        }
        return new IllegalStateException(cause);
    }

    private static String root(String path) {
        int end = path.length();
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '.' || path.charAt(i) == '[') {
                end = i;
                break;
            }
        }
        return path.substring(0, end);
    }

    private static Map<?, ?> map(Object node, String path) {
        if (!(node instanceof Map<?, ?> map)) {
            throw new ConfigurationException(path.isEmpty() ? "config" : path, "must be a mapping of keys to values");
        }
        return map;
    }

    private static Object collection(Object node, Type type, String path, boolean set) {
        Type element = Schema.argument(type, 0);
        if (Schema.isModel(Schema.raw(element)) && !(node instanceof List)) {
            throw new ConfigurationException(path, "must be a list");
        }
        List<?> items = node instanceof List<?> list ? list : List.of(node);
        boolean single = !(node instanceof List<?>);
        Collection<Object> out = set ? new LinkedHashSet<>() : new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Object item = present(items.get(i));
            String itemPath = single ? path : path + "[" + i + "]";
            if (!Schema.isModel(Schema.raw(element)) && (item instanceof Map || item instanceof List)) {
                throw new ConfigurationException(path, "must be a value or a list of values");
            }
            if (item != null || Schema.isModel(Schema.raw(element))) {
                out.add(value(item, element, null, itemPath));
            }
        }
        return set ? Set.copyOf(new LinkedHashSet<>(out)) : List.copyOf(out);
    }

    private static Map<String, Object> map(Object node, Type type, RecordComponent component, String path) {
        Type valueType = Schema.argument(type, 1);
        Map<String, Object> out = new LinkedHashMap<>();
        CompactMap compact = component == null ? null : component.getAnnotation(CompactMap.class);
        if (compact != null && !(node instanceof Map)) {
            String text = (String) Scalars.scalar(node, String.class, path);
            for (String entry : text.split(",")) {
                String trimmed = entry.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                if (equals <= 0 || equals == trimmed.length() - 1) {
                    String first = compact.example().split(",")[0].strip();
                    throw new ConfigurationException(path, "'" + trimmed + "' is not name=" + compact.valueName()
                            + "; write a mapping such as {" + first.replace("=", ": ") + "} or one string such as '"
                            + compact.example() + "'");
                }
                String name = trimmed.substring(0, equals).strip();
                if (out.put(name, value(trimmed.substring(equals + 1).strip(), valueType, null, path + "." + name)) != null) {
                    throw new ConfigurationException(path, "'" + name + "' is given twice");
                }
            }
            return out;
        }
        for (Map.Entry<?, ?> entry : map(node, path).entrySet()) {
            String name = String.valueOf(entry.getKey());
            Object value = present(entry.getValue());
            String valuePath = path + "." + name;
            out.put(name, value == null ? value("", valueType, null, valuePath) : value(value, valueType, null, valuePath));
        }
        return out;
    }

    // An empty or blank scalar is no value, so that ${VARIABLE:-} can leave an optional key unset.
    private static Object present(Object node) {
        return node instanceof String s && s.isBlank() ? null : node;
    }
}

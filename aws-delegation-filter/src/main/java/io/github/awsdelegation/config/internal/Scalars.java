package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The binder's scalars: {@code String}, {@code boolean} ({@code true}, {@code yes}, {@code on} and their opposites),
 * {@code int} and {@code long} (and boxed; {@code _} allowed between digits), {@link Duration} ({@code 900} seconds,
 * {@code 500ms}, {@code 90s}, {@code 15m}, {@code 1h}, {@code 1d} or ISO-8601 {@code PT15M}), {@link URI} (absolute,
 * with a host), types with a static {@code parse(String)} or {@code of(String)} (whose message says what they
 * accept), and enums (by name, regardless of case and of {@code -} for {@code _}).
 */
final class Scalars {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
    private static final Set<String> TRUE = Set.of("true", "yes", "on");
    private static final Set<String> FALSE = Set.of("false", "no", "off");

    private Scalars() {
    }

    static Object scalar(Object node, Class<?> type, String path) {
        if (node instanceof Map || node instanceof List) {
            throw new ConfigurationException(path, "must be a single value");
        }
        String text = String.valueOf(node).trim();
        if (type == String.class || type == Object.class) {
            return text;
        }
        if (type == boolean.class || type == Boolean.class) {
            String s = text.toLowerCase(Locale.ROOT);
            if (TRUE.contains(s) || FALSE.contains(s)) {
                return TRUE.contains(s);
            }
            throw new ConfigurationException(path, "'" + text + "' is not true or false");
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            try {
                BigInteger n = new BigInteger(text.replace("_", ""));
                return type == int.class || type == Integer.class ? (Object) n.intValueExact() : (Object) n.longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                throw new ConfigurationException(path, "'" + text + "' is not a whole number");
            }
        }
        if (type == Duration.class) {
            return duration(text, path);
        }
        if (type == URI.class) {
            return uri(text, path);
        }
        return parsed(text, type, path);
    }

    private static Duration duration(String text, String path) {
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new ConfigurationException(path, "'" + text + "' is not a duration; write e.g. 900, 90s, 15m, 1h or PT1H");
        }
    }

    private static URI uri(String text, String path) {
        try {
            URI uri = new URI(text);
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new ConfigurationException(path, "'" + text + "' must be an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(path, "'" + text + "' is not a URL: " + e.getReason(), e);
        }
    }

    // Enums and value types: the type's own parse(String) or of(String) when it has one, whose message says what is
    // accepted; else an enum constant by name, regardless of case and of - for _.
    private static Object parsed(String text, Class<?> type, String path) {
        for (String name : List.of("parse", "of")) {
            try {
                Method factory = type.getMethod(name, String.class);
                if (Modifier.isStatic(factory.getModifiers()) && type.isAssignableFrom(factory.getReturnType())) {
                    return factory.invoke(null, text);
                }
            } catch (NoSuchMethodException e) {
                // try the next
            } catch (InvocationTargetException e) {
                throw new ConfigurationException(path, e.getCause().getMessage(), e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(text.replace('-', '_'))) {
                    return constant;
                }
            }
            throw new ConfigurationException(path, "'" + text + "' is not one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", ")));
        }
        throw new IllegalStateException("no binding for " + type.getName() + " at " + path);
    }
}

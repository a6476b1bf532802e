package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.scope.internal.SessionPolicyTemplate;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in every text of the document, in one pass over the tree
 * before binding, by a Java system property first and an environment variable second.
 *
 * <p>The pass walks the tree along the model's records so that it knows each text's field: in a field marked
 * {@link PerUserTemplate}, the per-user variables ({@code ${sub}}, {@code ${email}}, {@code ${claim.NAME}}, ...) are
 * left for each user's rendering; anywhere else they are refused, naming the key. Names with a colon that is not a
 * {@code :-} default are IAM's own policy variables ({@code ${aws:userid}}) and are left everywhere.
 */
public final class Interpolation {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final Function<String, String> systemProperties;
    private final Function<String, String> environment;

    /**
     * Creates the pass.
     *
     * @param systemProperties looks a name up among the system properties
     * @param environment      looks a name up among the environment variables
     */
    public Interpolation(Function<String, String> systemProperties, Function<String, String> environment) {
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /** Returns the pass over the JVM's system properties and the process's environment. */
    public static Interpolation ofSystem() {
        return new Interpolation(System::getProperty, System::getenv);
    }

    /**
     * Returns the tree with its variables replaced.
     *
     * @param tree the document as loaded
     * @param type the record the tree will be bound to
     * @throws ConfigurationException naming the key of an undefined variable or a misplaced per-user one
     */
    public Object resolve(Object tree, Class<?> type) {
        return walk(tree, type, false, "");
    }

    private Object walk(Object node, Type type, boolean template, String path) {
        Class<?> raw = Schema.raw(type);
        if (node instanceof Map<?, ?> map) {
            Class<?> record = raw.isSealed() ? Schema.alternative(raw, map) : raw.isRecord() ? raw : null;
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                Type childType = Object.class;
                boolean childTemplate = template;
                if (record != null) {
                    RecordComponent c = Schema.component(record, key);
                    childType = c == null ? Object.class : Schema.boundType(c);
                    childTemplate = c != null && c.isAnnotationPresent(PerUserTemplate.class);
                } else if (raw == Map.class) {
                    childType = Schema.argument(type, 1);
                }
                out.put(entry.getKey(), walk(entry.getValue(), childType, childTemplate, Schema.join(path, key)));
            }
            return out;
        }
        if (node instanceof List<?> list) {
            Type element = raw == List.class || raw == java.util.Set.class ? Schema.argument(type, 0) : Object.class;
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(walk(list.get(i), element, template, path + "[" + i + "]"));
            }
            return out;
        }
        return node instanceof String text ? resolve(path, text, template) : node;
    }

    /**
     * Returns a text with its variables replaced.
     *
     * @param key      the key of the text, for messages
     * @param text     the text
     * @param template whether the text is a per-user template, whose per-user variables are kept
     */
    String resolve(String key, String text, boolean template) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String expression = m.group(1);
            int dash = expression.indexOf(":-");
            String name = dash >= 0 ? expression.substring(0, dash) : expression;
            String replacement;
            if (dash < 0 && name.contains(":")) {
                replacement = m.group();
            } else if (dash < 0 && isPerUser(name)) {
                if (!template) {
                    throw new ConfigurationException(key, "${" + name + "} is a per-user variable, which only a per-user "
                            + "template takes (a role's sessionPolicy, tags and sourceIdentity); here write the value itself "
                            + "or a system property or environment variable such as ${MY_VALUE}");
                }
                replacement = m.group();
            } else {
                String found = systemProperties.apply(name);
                if (found == null) {
                    found = environment.apply(name);
                }
                if (found == null && dash >= 0) {
                    found = expression.substring(dash + 2);
                }
                if (found == null) {
                    throw new ConfigurationException(key, "${" + name + "} is neither a system property nor an "
                            + "environment variable; set it, or give a default as ${" + name + ":-value}");
                }
                replacement = found;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean isPerUser(String name) {
        return SessionPolicyTemplate.VARIABLES.contains(name) || name.startsWith("claim.");
    }
}

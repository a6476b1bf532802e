package io.github.awsdelegation.config;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${NAME}} and {@code ${NAME:-default}} in configuration values from Java system
 * properties first and environment variables second.
 *
 * <p>Names in {@code reserved} are left as they are (the per-user variables of session policies), and so
 * is every name containing a colon that is not a {@code :-} default (IAM's own policy variables such as
 * {@code ${aws:userid}}).
 */
final class Interpolation {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final Function<String, String> systemProperties;
    private final Map<String, String> environment;

    Interpolation(Function<String, String> systemProperties, Map<String, String> environment) {
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    static Interpolation ofSystem() {
        return new Interpolation(System::getProperty, System.getenv());
    }

    String resolve(String key, String value, Set<String> reserved) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String expression = m.group(1);
            int dash = expression.indexOf(":-");
            String name = dash >= 0 ? expression.substring(0, dash) : expression;
            String replacement;
            if (dash < 0 && (reserved.contains(name) || name.startsWith("claim.") || name.contains(":"))) {
                replacement = m.group();
            } else {
                String found = systemProperties.apply(name);
                if (found == null) {
                    found = environment.get(name);
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
}

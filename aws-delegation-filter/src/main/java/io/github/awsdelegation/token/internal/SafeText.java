package io.github.awsdelegation.token.internal;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Quotes values taken from an untrusted token (an issuer, an audience) for messages and logs: they are
 * cut short and stripped of control characters, so that a forged token cannot forge log lines or fill
 * the logs.
 */
public final class SafeText {

    private static final int MAX_LENGTH = 100;

    private SafeText() {
    }

    /** Returns the value in double quotes, shortened and with control characters replaced by '?'. */
    public static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_LENGTH) + 5).append('"');
        for (int i = 0; i < s.length() && i < MAX_LENGTH; i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) || c == '"' ? '?' : c);
        }
        if (s.length() > MAX_LENGTH) {
            out.append("...");
        }
        return out.append('"').toString();
    }

    /** Returns the values as a bracketed list of quoted values, at most ten of them. */
    public static String quoteAll(Collection<?> values) {
        String shown = values.stream().limit(10).map(SafeText::quote).collect(Collectors.joining(", "));
        return "[" + shown + (values.size() > 10 ? ", ..." : "") + "]";
    }
}

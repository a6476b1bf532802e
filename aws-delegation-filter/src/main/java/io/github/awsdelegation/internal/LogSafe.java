package io.github.awsdelegation.internal;

/**
 * Makes a value fit for one log line: every value that comes from a request or a token (a subject, an e-mail, a
 * requested role, a client id, a path, an error message quoting a claim) goes through {@link #of} before it is
 * logged, so that a {@code \r\n} in a signed {@code sub} cannot start a forged line (CWE-117) and a huge claim
 * cannot fill the log. Control characters are written as visible escapes ({@code \r}, {@code \n}, {@code \t},
 * {@code \}{@code uXXXX}), and so are the Unicode line and paragraph separators.
 */
public final class LogSafe {

    /** By default, a logged value is cut after 300 characters. */
    public static final int MAX_LENGTH = 300;

    private LogSafe() {
    }

    /** Returns the value, escaped for a single log line and cut short; {@code "null"} for {@code null}. */
    public static String of(Object value) {
        if (value == null) {
            return "null";
        }
        String s = String.valueOf(value);
        StringBuilder out = null;
        int n = Math.min(s.length(), MAX_LENGTH);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String escape = switch (c) {
                case '\r' -> "\\r";
                case '\n' -> "\\n";
                case '\t' -> "\\t";
                default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                        ? String.format("\\u%04x", (int) c) : null;
            };
            if (escape != null && out == null) {
                out = new StringBuilder(n + 16).append(s, 0, i);
            }
            if (out != null) {
                if (escape != null) {
                    out.append(escape);
                } else {
                    out.append(c);
                }
            }
        }
        String result = out != null ? out.toString() : s.substring(0, n);
        return s.length() > MAX_LENGTH ? result + "..." : result;
    }
}
